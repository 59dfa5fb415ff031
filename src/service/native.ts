import { z } from 'zod';
import { refuseInputFiles } from '../../sandbox/files.js';
import { refusePython } from '../../sandbox/image/pythons.js';
import { refuseCode, type RunInput } from '../../sandbox/request.js';
import type { RunFile } from '../../sandbox/result.js';
import { decodeBase64 } from './base64.js';
import type { Checked, InputRules } from './problem.js';

/**
 * `POST /v1/runs`, Sandpiper's own API: the RunInput as JSON, answered with the RunResult exactly
 * as `sandpiper eval --json` prints it. Unknown properties are refused, so a misspelled one
 * (`setup` beside `timeit`) is said rather than silently ignored.
 */
const RunRequestSchema = z.strictObject({
  code: z.string(),
  stdin: z.string().optional(),
  files: z.array(z.strictObject({ name: z.string(), content: z.string() })).optional(),
  python: z.string().optional(),
  timeit: z.strictObject({ setup: z.string().default('') }).optional(),
});

export type RunRequest = z.infer<typeof RunRequestSchema>;

const invalid = (description: string): Checked<never> => ({ ok: false, problem: { status: 400, title: 'Request data failed validation', description } });

/** The run a `/v1/runs` body asks for, or why it can't be run. */
export function nativeRunInput(body: unknown, rules: InputRules): Checked<RunInput> {
  const parsed = RunRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return invalid(`${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
  }
  const { code, stdin, python, timeit } = parsed.data;
  const files: RunFile[] = [];
  for (const { name, content } of parsed.data.files ?? []) {
    const bytes = decodeBase64(content);
    if (bytes === null) return { ok: false, problem: { status: 400, title: 'Request file is invalid', description: `the content of "${name}" is not base64` } };
    files.push({ name, bytes });
  }
  const refusedFiles = refuseInputFiles(files.map(({ name, bytes }) => ({ name, size: bytes.length })), rules.files);
  if (refusedFiles) return { ok: false, problem: { status: 400, title: 'Request file is invalid', description: refusedFiles } };
  const refusedCode = refuseCode(code, rules.maxCodeBytes);
  if (refusedCode) return { ok: false, problem: { status: 400, title: 'Request is over a limit', description: refusedCode } };
  const refusedPython = python === undefined ? null : refusePython(python, rules.pythons);
  if (refusedPython) return invalid(refusedPython);
  return {
    ok: true,
    value: { code, ...(stdin ? { stdin } : {}), ...(files.length ? { files } : {}), ...(python ? { python } : {}), ...(timeit ? { timeit } : {}) },
  };
}
