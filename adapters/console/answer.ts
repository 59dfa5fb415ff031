import type { EvaluateOptions, Evaluator } from '../../src/evaluator.js';
import { CONSOLE } from '../../src/platforms.js';
import { renderNotice } from '../../src/render.js';
import { runRequest, type Asker } from '../../src/request.js';
import { saveFiles } from '../../src/saved-files.js';
import { readMessage } from './message.js';

// The terminal has one user; the limiter throttles them like any chat user.
const ASKER: Asker = { platform: 'console', user: 'local', channel: 'terminal', trigger: 'console' };

/**
 * One message in, its reply out as the terminal prints it: the reply a chat user would get (cut
 * the same way), then where its attachments were saved. Undefined when there is nothing to say.
 */
export async function answer(message: string, evaluator: Evaluator, options: EvaluateOptions = {}): Promise<string | undefined> {
  const intake = readMessage(message);
  if (intake.kind === 'ignore') return undefined;
  const reply =
    intake.kind === 'notice'
      ? renderNotice(intake.message, CONSOLE)
      : await evaluator.evaluate(runRequest(ASKER, intake), CONSOLE, options);
  return [reply.text, ...(await saveFiles(reply.attachments))].join('\n');
}
