import { randomUUID } from 'node:crypto';
import type { RunFile } from '../sandbox/result.js';
import type { RunIntake } from './intake.js';
import type { PlatformName } from './platforms.js';

/** How a run was asked for; logged, and lets adapters treat re-runs differently. */
export type Trigger =
  | 'message' // a message with the prefix, a mention, or in a DM
  | 'slash' // a /run command (or its modal)
  | 'context_menu' // "Run Python" on a message (Discord app command, Slack message shortcut)
  | 'reaction' // the run emoji added to a message
  | 'edit' // the source message was edited: re-run and edit the reply
  | 'button' // "Run again"
  | 'console'; // the terminal chat

/** One request to run code, from any platform (the core's input). */
export interface RunRequest {
  /** Unique per request: ties log lines together. */
  id: string;
  platform: PlatformName;
  /** The platform's user id: throttling is per `platform:user`. */
  user: string;
  channel: string;
  /** The message holding the code, when there is one. */
  messageId?: string;
  trigger: Trigger;
  code: string;
  /** What input() reads. */
  stdin?: string;
  /** Time the code with timeit instead of running it: `setup` runs first, untimed. */
  timeit?: { setup: string };
  /** Files attached to the message, put in the working directory. */
  files?: RunFile[];
  /** The Python version asked for ("3.14"); the default when absent. */
  python?: string;
}

/** Who asked, where and how: a RunRequest without its id and code. */
export type Asker = Pick<RunRequest, 'platform' | 'user' | 'channel' | 'messageId' | 'trigger'>;

/** The one way a RunRequest is made, on every platform. */
export function runRequest(asker: Asker, { code, stdin, timeit, python }: RunIntake, files?: RunFile[]): RunRequest {
  return {
    id: randomUUID(),
    ...asker,
    code,
    ...(stdin === undefined ? {} : { stdin }),
    ...(timeit === undefined ? {} : { timeit }),
    ...(files?.length ? { files } : {}),
    ...(python === undefined ? {} : { python }),
  };
}
