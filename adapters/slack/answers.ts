import type { RespondFn, webApi } from '@slack/bolt';
import { refusalMessage, type Evaluator } from '../../src/evaluator.js';
import { ExpiringMap } from '../../src/expiring-map.js';
import { interpret } from '../../src/intake.js';
import type { Logger } from '../../src/log.js';
import { SLACK } from '../../src/platforms.js';
import { renderNotice } from '../../src/render.js';
import type { Reply } from '../../src/reply.js';
import { newRequestId, type RunRequest, type Trigger } from '../../src/request.js';
import type { ExtractOptions } from '../../src/snippet.js';
import { Debouncer } from '../../src/debouncer.js';
import { describeSlackError, platformError } from './errors.js';
import { withHourglass } from './hourglass.js';
import type { InFlight } from './in-flight.js';
import type { SlackMessage } from './message-cache.js';
import { typedText } from './message-text.js';
import type { PostedReply, ReplyPoster } from './poster.js';
import { cannotPostHere, privateMessage } from './reply-message.js';

/** Someone asked for a run: with /run, a mention, a DM, the run reaction or the "Run Python" shortcut. */
export interface Ask {
  trigger: Trigger;
  /** Who asked: runs are throttled per user. */
  user: string;
  channel: string;
  /** The text holding the code, in Slack's wire format. */
  text: string;
  extract: ExtractOptions;
  /** The message holding the code: the reply goes in its thread, and follows its edits and deletion. */
  source?: { ts: string; threadTs?: string };
  /** Commands and shortcuts: answers only the asker sees (notices, or a reply the channel refused). */
  respond?: RespondFn;
  /** Shown under the reply. */
  note?: string;
}

/** What one ask became: the ask as last run, and the reply showing its result. */
interface Answer {
  ask: Ask;
  reply?: PostedReply;
  answeredAt: number;
  deleted: boolean;
  /** The latest step for this source: re-runs and the deletion queue behind it, in order. */
  last: Promise<void>;
}

/** A burst of edits (fixing one typo, then another) re-runs once. */
const EDIT_DEBOUNCE_MS = 1_000;
/** How long a reply is deleted along with its source (re-runs on edit have the shorter edit window). */
const REMEMBER_REPLIES_MS = 24 * 60 * 60_000;

export interface AnswersDeps {
  evaluator: Evaluator;
  poster: ReplyPoster;
  /** For the hourglass reaction. */
  client: webApi.WebClient;
  inFlight: InFlight;
  log: Logger;
  editWindowMs: number;
}

/**
 * Ask → intake → evaluator → reply posted, for every trigger alike; then the reply follows its
 * source message: an edit re-runs it and updates the reply, a deletion deletes the reply.
 */
export class Answers {
  private readonly bySource = new ExpiringMap<string, Answer>(REMEMBER_REPLIES_MS);
  private readonly edits = new Debouncer(EDIT_DEBOUNCE_MS);
  private closed = false;

  constructor(private readonly deps: AnswersDeps) {}

  /** Runs what was asked (or says why not) and posts the reply. Never rejects. */
  answer(ask: Ask): Promise<void> {
    const answer: Answer = { ask, answeredAt: Date.now(), deleted: false, last: Promise.resolve() };
    if (ask.source) this.bySource.set(sourceKey(ask.channel, ask.source.ts), answer);
    return this.queue(answer, () => this.reply(answer));
  }

  /** A source message changed: within the edit window, re-run it and update the reply in place. */
  edited(channel: string, message: SlackMessage): void {
    const key = sourceKey(channel, message.ts);
    const answer = this.bySource.get(key);
    if (!answer || this.closed || Date.now() - answer.answeredAt >= this.deps.editWindowMs) return;
    this.edits.schedule(key, () => {
      // Slack reports a message as changed when only its thread did (our reply arriving, say).
      if (answer.deleted || message.text === answer.ask.text) return;
      answer.ask = { ...answer.ask, text: message.text, trigger: 'edit' };
      void this.queue(answer, () => this.reply(answer));
    });
  }

  /** A source message was deleted: so is its reply (once its run, if any, is over). */
  deleted(channel: string, ts: string): void {
    const key = sourceKey(channel, ts);
    const answer = this.bySource.get(key);
    if (!answer) return;
    this.bySource.delete(key);
    this.edits.cancel(key);
    answer.deleted = true;
    void this.queue(answer, async () => {
      if (answer.reply) await this.deps.poster.delete(answer.reply);
    });
  }

  /** Stops taking asks: new ones are told Sandpiper is restarting; pending re-runs are dropped. */
  close(): void {
    this.closed = true;
    this.edits.cancelAll();
  }

  private queue(answer: Answer, step: () => Promise<void>): Promise<void> {
    answer.last = answer.last.then(step).catch((error: unknown) => {
      this.deps.log.warn({ ...logContext(answer.ask), reason: describeSlackError(error) }, 'could not answer on Slack');
    });
    return this.deps.inFlight.track(answer.last);
  }

  private async reply(answer: Answer): Promise<void> {
    const { ask } = answer;
    const reply = await this.replyTo(ask);
    if (!reply || answer.deleted) return;
    const notes = ask.note ? [ask.note] : [];
    if (answer.reply) await this.deps.poster.update(answer.reply, reply, notes);
    // Nothing ran: only the asker needs to know why.
    else if (reply.kind === 'notice' && ask.respond) await ask.respond(privateMessage(reply));
    else answer.reply = await this.post(ask, reply, notes);
    answer.answeredAt = Date.now();
  }

  private async replyTo(ask: Ask): Promise<Reply | undefined> {
    const intake = interpret(typedText(ask.text), ask.extract);
    if (intake.kind === 'ignore') return undefined;
    if (intake.kind === 'notice') return renderNotice(intake.message, SLACK);
    if (this.closed) return renderNotice(refusalMessage({ reason: 'stopping', retryAfterS: 0 }), SLACK);
    const request: RunRequest = {
      id: newRequestId(),
      platform: 'slack',
      user: ask.user,
      channel: ask.channel,
      trigger: ask.trigger,
      code: intake.code,
      ...(intake.stdin === undefined ? {} : { stdin: intake.stdin }),
      ...(ask.source ? { messageId: ask.source.ts } : {}),
    };
    const run = () => this.deps.evaluator.evaluate(request, SLACK);
    if (!ask.source) return run();
    return withHourglass(this.deps.client, this.deps.log, { channel: ask.channel, ts: ask.source.ts }, run);
  }

  /** Posts in the source's thread (a /run result: in the channel); or privately if the channel refuses. */
  private async post(ask: Ask, reply: Reply, notes: string[]): Promise<PostedReply | undefined> {
    const threadTs = ask.source ? (ask.source.threadTs ?? ask.source.ts) : undefined;
    try {
      return await this.deps.poster.post({ channel: ask.channel, threadTs }, reply, notes);
    } catch (error) {
      if (!ask.respond) throw error;
      this.deps.log.warn({ ...logContext(ask), reason: describeSlackError(error) }, 'could not post in the channel; answered privately');
      await ask.respond(privateMessage(reply, cannotPostHere(platformError(error))));
      return undefined;
    }
  }
}

function sourceKey(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

function logContext(ask: Ask): Record<string, string> {
  return { trigger: ask.trigger, channel: ask.channel, user: ask.user, ...(ask.source ? { ts: ask.source.ts } : {}) };
}
