import type { Message } from 'discord.js';
import { ExpiringMap } from '../../src/expiring-map.js';

/** One attempt at answering a message; a newer one (after an edit) supersedes it. */
export interface Turn {
  readonly sourceId: string;
  readonly n: number;
}

/**
 * Which reply answers which message, for the edit window: an edit re-runs the message and edits
 * its reply, a deleted message takes its reply with it, and a reaction doesn't run it twice.
 */
export class ReplyTracker {
  private readonly replies: ExpiringMap<string, Message>;
  /** Messages being answered right now → their newest turn. */
  private readonly answering = new Map<string, number>();
  private turns = 0;

  constructor(windowMs: number) {
    this.replies = new ExpiringMap(windowMs);
  }

  begin(sourceId: string): Turn {
    const turn = { sourceId, n: ++this.turns };
    this.answering.set(sourceId, turn.n);
    return turn;
  }

  /** False once a newer turn for the same message began: its reply wins. */
  isLatest(turn: Turn): boolean {
    return this.answering.get(turn.sourceId) === turn.n;
  }

  finish(turn: Turn): void {
    if (this.isLatest(turn)) this.answering.delete(turn.sourceId);
  }

  /** The message was deleted since `turn` began: a reply still on its way must go too. */
  isWithdrawn(turn: Turn): boolean {
    return !this.answering.has(turn.sourceId);
  }

  /** Answered within the window, or being answered. */
  isAnswered(sourceId: string): boolean {
    return this.answering.has(sourceId) || this.replies.has(sourceId);
  }

  replyTo(sourceId: string): Message | undefined {
    return this.replies.get(sourceId);
  }

  remember(sourceId: string, reply: Message): void {
    this.replies.set(sourceId, reply);
  }

  /** The message was deleted: forgets it, and returns its reply to delete. */
  withdraw(sourceId: string): Message | undefined {
    this.answering.delete(sourceId);
    return this.forget(sourceId);
  }

  /** Forgets the reply to `sourceId` (only if it is `replyId`, when given) and returns it. */
  forget(sourceId: string, replyId?: string): Message | undefined {
    const reply = this.replies.get(sourceId);
    if (!reply || (replyId !== undefined && reply.id !== replyId)) return undefined;
    this.replies.delete(sourceId);
    return reply;
  }
}
