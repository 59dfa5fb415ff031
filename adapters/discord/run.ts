import { HOW_TO, type Intake } from '../../src/intake.js';
import { DISCORD } from '../../src/platforms.js';
import { renderNotice } from '../../src/render.js';
import type { Reply } from '../../src/reply.js';
import { newRequestId, type RunRequest } from '../../src/request.js';
import type { Bot } from './bot.js';

export type RunIntake = Extract<Intake, { kind: 'run' }>;

/** Who asked, where, and how: a RunRequest without its code. */
export type Asker = Pick<RunRequest, 'user' | 'channel' | 'messageId' | 'trigger'>;

/** Runs code through the core, rendered for Discord. */
export function evaluate(bot: Bot, asker: Asker, { code, stdin }: RunIntake): Promise<Reply> {
  const request: RunRequest = { id: newRequestId(), platform: 'discord', ...asker, code, ...(stdin === undefined ? {} : { stdin }) };
  return bot.evaluator.evaluate(request, DISCORD);
}

/** A reply where nothing runs, shown literally. */
export function notice(message: string): Reply {
  return renderNotice(message, DISCORD);
}

/** The reply to a request that runs nothing. */
export function noticeFor(intake: Exclude<Intake, RunIntake>): Reply {
  return notice(intake.kind === 'notice' ? intake.message : HOW_TO);
}
