import { Debouncer } from './debouncer.js';
import type { Evaluator, Indicator } from './evaluator.js';
import type { FileLimits } from '../sandbox/limits.js';
import { ExpiringMap } from './expiring-map.js';
import { fetchFiles, type IncomingFile } from './incoming-files.js';
import type { Intake } from './intake.js';
import type { Logger } from './log.js';
import type { PlatformProfile } from './platforms.js';
import { renderNotice } from './render.js';
import type { Reply } from './reply.js';
import { runRequest, type Trigger } from './request.js';
import type { Work } from './work.js';

/**
 * Someone asked for a run, on any platform, by any trigger. `Posted` is the platform's handle on
 * a reply it posted (a Discord Message, a Slack channel + ts), so the reply can be updated or
 * deleted later.
 */
export interface Ask<Posted> {
  trigger: Trigger;
  user: string;
  channel: string;
  /**
   * The message holding the code, as a key unique on the platform. Its reply follows the
   * message: an edit re-runs it in place, a deletion deletes it, and asking again updates the
   * same reply (a reaction within the edit window runs nothing).
   */
  source?: string;
  /** The platform's id of that message, for the request and its logs. */
  messageId?: string;
  /** What the message says, as the platform delivers it. */
  text: string;
  /** How this ask reads text: the same rule again when the message is edited. */
  read(text: string): Intake;
  /** Files attached to the message holding the code: the run finds them in its working directory. */
  files?: readonly IncomingFile[];
  /** Shown while the code waits and runs, once it is admitted. */
  indicator?: Indicator;
  /** Posts a new reply; undefined when it could not be posted anywhere (the platform logs why). */
  post(reply: Reply): Promise<Posted | undefined>;
  /** An answer only the asker sees (commands): notices go there instead of being posted. */
  tell?(reply: Reply): Promise<void>;
}

/** What a platform does to replies it posted earlier. */
export interface PostedReplies<Posted> {
  /** Updates a reply in place, files included; resolves with its handle now (files may change it). */
  update(posted: Posted, reply: Reply): Promise<Posted>;
  remove(posted: Posted): Promise<void>;
}

export interface AnswersDeps<Posted> {
  evaluator: Evaluator;
  /** What attached files may be (SANDBOX_FILES and friends). */
  fileLimits: FileLimits;
  profile: PlatformProfile;
  replies: PostedReplies<Posted>;
  /** The adapter's intake gate: every step runs as one of its jobs, so a stop waits for it. */
  work: Work;
  log: Logger;
  /** How long after a reply an edit of its message re-runs it, and a reaction doesn't. */
  editWindowMs: number;
  /** A burst of edits (fixing one typo, then another) re-runs once, this long after the last. */
  editDebounceMs?: number;
}

/** What one source message became: the ask as last run, and the reply showing its result. */
interface Answer<Posted> {
  ask: Ask<Posted>;
  posted?: Posted;
  answeredAt: number;
  deleted: boolean;
  /** The latest step for this source: re-runs and the deletion queue behind it, in order. */
  last: Promise<void>;
}

/** How long a reply is deleted along with its message (re-runs have the shorter edit window). */
const REMEMBER_REPLIES_MS = 24 * 60 * 60_000;

/**
 * Ask → intake → evaluator → reply posted, for every platform and trigger alike; then the reply
 * follows its source message (edits, deletion). The platform only says how to post, update and
 * delete a reply, and how to show that a run is under way.
 */
export class Answers<Posted> {
  private readonly bySource = new ExpiringMap<string, Answer<Posted>>(REMEMBER_REPLIES_MS);
  private readonly edits: Debouncer;

  constructor(private readonly deps: AnswersDeps<Posted>) {
    this.edits = new Debouncer(deps.editDebounceMs ?? 1_000);
  }

  /**
   * Runs what was asked (or says why not) and posts the reply. Returns false when nothing will
   * happen: the adapter is stopping, or a reaction asks again for a message answered within the
   * edit window (it would only post the same result twice).
   */
  answer(ask: Ask<Posted>): boolean {
    if (!this.deps.work.accepting) return false;
    const earlier = ask.source === undefined ? undefined : this.bySource.get(ask.source);
    if (earlier && ask.trigger === 'reaction' && this.isRecent(earlier)) {
      this.deps.log.debug({ source: ask.source }, 'already answered: the reaction runs nothing');
      return false;
    }
    const answer = earlier ?? { ask, answeredAt: Date.now(), deleted: false, last: Promise.resolve() };
    answer.ask = ask;
    if (ask.source !== undefined && !earlier) this.bySource.set(ask.source, answer);
    return this.deps.work.start(ask.trigger, () => this.queue(answer, () => this.reply(answer)));
  }

  /**
   * A source message now says `text`: within the edit window, re-run it (read as it was first
   * read, for the same asker) and update its reply. A burst of edits runs once.
   */
  edited(source: string, text: string): void {
    const answer = this.bySource.get(source);
    if (!answer || !this.deps.work.accepting || !this.isRecent(answer)) return;
    this.edits.schedule(source, () =>
      this.deps.work.start('edit', () =>
        this.queue(answer, async () => {
          // Platforms report a message as changed when only its thread or embeds did.
          if (answer.deleted || text === answer.ask.text) return;
          answer.ask = { ...answer.ask, text, trigger: 'edit' };
          await this.reply(answer);
        }),
      ),
    );
  }

  /** Whether edits of `source` would re-run it now (so a platform knows when reading it is worth it). */
  follows(source: string): boolean {
    const answer = this.bySource.get(source);
    return answer !== undefined && this.isRecent(answer);
  }

  /** A source message was deleted: so is its reply (once a run under way, if any, is over). */
  deleted(source: string): void {
    this.edits.cancel(source);
    const answer = this.bySource.get(source);
    if (!answer) return;
    this.bySource.delete(source);
    answer.deleted = true;
    this.deps.work.start('deletion', () =>
      this.queue(answer, async () => {
        if (answer.posted) await this.deps.replies.remove(answer.posted);
      }),
    );
  }

  /** The reply to `source` was removed by other means (a Delete button): stop following it. */
  forget(source: string, isThatReply: (posted: Posted) => boolean): void {
    const answer = this.bySource.get(source);
    if (answer?.posted === undefined || !isThatReply(answer.posted)) return;
    this.bySource.delete(source);
    this.edits.cancel(source);
  }

  /** Pending re-runs are dropped; the adapter's Work closes the gate for everything else. */
  close(): void {
    this.edits.cancelAll();
  }

  private isRecent(answer: Answer<Posted>): boolean {
    return Date.now() - answer.answeredAt < this.deps.editWindowMs;
  }

  /** Runs `step` after the source's earlier steps; a failed step doesn't stop the later ones. */
  private queue(answer: Answer<Posted>, step: () => Promise<void>): Promise<void> {
    const next = answer.last.then(step);
    answer.last = next.catch(() => {});
    return next;
  }

  private async reply(answer: Answer<Posted>): Promise<void> {
    const { ask } = answer;
    const reply = await this.replyTo(ask);
    if (!reply || answer.deleted) return;
    if (answer.posted !== undefined) answer.posted = await this.update(answer.posted, reply, ask);
    // Nothing ran: only the asker needs to know why.
    else if (reply.kind === 'notice' && ask.tell) await ask.tell(reply);
    else answer.posted = await ask.post(reply);
    answer.answeredAt = Date.now();
  }

  private async replyTo(ask: Ask<Posted>): Promise<Reply | undefined> {
    const intake = ask.read(ask.text);
    const { profile, evaluator } = this.deps;
    switch (intake.kind) {
      case 'ignore':
        return undefined;
      case 'notice':
        return renderNotice(intake.message, profile);
      case 'run': {
        const fetched = ask.files?.length ? await fetchFiles(ask.files, this.deps.fileLimits) : { files: [] };
        if ('refusal' in fetched) return renderNotice(fetched.refusal, profile);
        const { trigger, user, channel, messageId } = ask;
        const request = runRequest({ platform: profile.name, trigger, user, channel, messageId }, intake, fetched.files);
        return evaluator.evaluate(request, profile, ask.indicator ? { indicator: ask.indicator } : {});
      }
    }
  }

  /** Updates the reply in place; if it is gone (deleted by a moderator, say), posts a new one. */
  private async update(posted: Posted, reply: Reply, ask: Ask<Posted>): Promise<Posted | undefined> {
    try {
      return await this.deps.replies.update(posted, reply);
    } catch (error) {
      this.deps.log.info({ source: ask.source, ...this.deps.work.describeError(error) }, 'could not update the earlier reply: posting a new one');
      return ask.post(reply);
    }
  }
}
