import type { RunStatus } from '../sandbox/result.js';

/**
 * Hints for the two most common surprises, shown under the output: input() with nothing to read,
 * and importing a module the sandbox doesn't have. A hint appears only when the run died of that
 * error (the last line of its traceback), never because a program printed those words earlier.
 * Plain text here; the renderer escapes and fits it.
 */

export interface HintContext {
  /** Whether the run was given stdin (absent: it was not). */
  stdinGiven?: boolean;
  /** What the image has installed besides the standard library; absent when unknown (a custom image). */
  packages?: readonly string[];
}

const TRACEBACK_HEADER = 'Traceback (most recent call last):';
const EOF_ERROR = 'EOFError: EOF when reading a line';
const MODULE_NOT_FOUND = /^ModuleNotFoundError: No module named '([^']+)'/;

const NO_INPUT = [
  '💡 input() found nothing to read. Give the program its input in a stdin block after the code, one line per input() call:',
  '```stdin',
  'first line',
  'second line',
  '```',
].join('\n');
const RAN_OUT =
  '💡 input() ran out of input: the stdin block has fewer lines than the program reads. Give it one line per input() call.';

/**
 * The hint for how a run ended: the fullest wording first, then shorter ones (fewer packages
 * listed) for a reply with less room. Nothing when there is nothing to say.
 * `display` is the output as shown: cleaned, without trailing whitespace.
 */
export function* hintsFor(status: RunStatus, display: string, context: HintContext): Generator<string> {
  const error = fatalError(status, display);
  if (error === EOF_ERROR) {
    yield context.stdinGiven ? RAN_OUT : NO_INPUT;
    return;
  }
  const module = error === undefined ? undefined : MODULE_NOT_FOUND.exec(error)?.[1];
  if (module !== undefined) yield* moduleHints(module, context.packages);
}

/** The last line of the output when the run died of an uncaught exception. */
function fatalError(status: RunStatus, display: string): string | undefined {
  if (status !== 'error') return undefined;
  const traceback = display.startsWith(TRACEBACK_HEADER) || display.includes(`\n${TRACEBACK_HEADER}`);
  return traceback ? display.slice(display.lastIndexOf('\n') + 1) : undefined;
}

function* moduleHints(module: string, packages: readonly string[] | undefined): Generator<string> {
  const missing = `💡 '${module}' isn't installed in the sandbox, and it has no network to install it.`;
  if (packages === undefined) {
    yield `${missing} It runs a custom image, whose list of packages isn't available here.`;
  } else if (packages.length === 0) {
    yield `${missing} Only the standard library is installed.`;
  } else {
    for (let listed = packages.length; listed > 0; listed -= 1) {
      const more = listed < packages.length ? ` and ${packages.length - listed} more` : '';
      yield `${missing} Installed besides the standard library: ${packages.slice(0, listed).join(', ')}${more}.`;
    }
  }
  yield missing;
}
