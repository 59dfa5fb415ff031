import { refuseInputFiles } from '../../sandbox/files.js';
import { choosableVersions } from '../../sandbox/image/pythons.js';
import { exitCodeOfSignal } from '../../sandbox/outcome.js';
import { refuseCode, type RunInput } from '../../sandbox/request.js';
import type { RunFile, RunResult } from '../../sandbox/result.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import type { Checked, InputRules } from './problem.js';
import { pythonRepr } from './python-repr.js';

/**
 * snekbox's `POST /eval` (python-discord/snekbox, snekbox/api/resources/eval.py), translated to and
 * from the sandbox's RunInput and RunResult. Pure: the routes call these and send what they return.
 */

/** The request, once it matches snekbox's JSON schema (other properties are allowed and ignored). */
export interface EvalRequest {
  input?: string;
  args?: string[];
  files?: { path: string; content?: string }[];
  executable_path?: string;
}

export interface EvalResponse {
  stdout: string;
  returncode: number | null;
  files: { path: string; size: number; content: string }[];
}

/** snekbox's pattern for file paths: not absolute, and no `\0` (the two characters, as its schema says). */
const PATH_PATTERN = String.raw`^(?!/)(?!.*\\0).*$`;

/** One schema violation, and how deep in the request it is (jsonschema reports the shallowest). */
interface Violation {
  depth: number;
  message: string;
}

/**
 * Checks the body against snekbox's request schema and words the first problem as jsonschema's
 * best_match does: the shallowest violation, the first of those in schema order, its value in
 * Python's repr.
 */
export function validateEvalRequest(body: unknown): Checked<EvalRequest> {
  const fail = (message: string): Checked<EvalRequest> => ({ ok: false, problem: { status: 400, title: 'Request data failed validation', description: message } });
  if (!isObject(body)) return fail(notOfType(body, 'object'));
  const violations: Violation[] = [];
  const check = (ok: boolean, depth: number, message: () => string): boolean => {
    if (!ok) violations.push({ depth, message: message() });
    return ok;
  };
  const checkType = (value: unknown, type: 'string' | 'array' | 'object', depth: number) => check(isOfType(value, type), depth, () => notOfType(value, type));
  if (Object.hasOwn(body, 'input')) checkType(body.input, 'string', 1);
  if (Object.hasOwn(body, 'args') && checkType(body.args, 'array', 1)) {
    for (const arg of body.args as unknown[]) checkType(arg, 'string', 2);
  }
  if (Object.hasOwn(body, 'files') && checkType(body.files, 'array', 1)) {
    for (const file of body.files as unknown[]) {
      if (!checkType(file, 'object', 2)) continue;
      const { path, content } = file as Record<string, unknown>;
      if (!Object.hasOwn(file as object, 'path')) check(false, 2, () => `'path' is a required property`);
      else if (checkType(path, 'string', 3)) {
        const text = path as string;
        // Not absolute, no `\0`; a real NUL can't be in a file name either.
        check(!text.startsWith('/') && !text.includes('\\0') && !text.includes('\0'), 3, () => `${pythonRepr(text)} does not match ${pythonRepr(PATH_PATTERN)}`);
      }
      if (Object.hasOwn(file as object, 'content')) checkType(content, 'string', 3);
    }
  }
  if (Object.hasOwn(body, 'executable_path')) checkType(body.executable_path, 'string', 1);
  if (!Object.hasOwn(body, 'input') && !Object.hasOwn(body, 'args')) {
    check(false, 0, () => `${pythonRepr(body)} is not valid under any of the given schemas`);
  }
  if (!violations.length) return { ok: true, value: body as EvalRequest };
  const shallowest = Math.min(...violations.map(({ depth }) => depth));
  return fail(violations.find(({ depth }) => depth === shallowest)!.message);
}

/**
 * The run a valid request asks for: `input`, when given, is appended to `args` (by default
 * `["-c"]`); files are decoded and their paths normalized; `executable_path` picks the Python.
 */
export function evalRunInput(request: EvalRequest, rules: InputRules): Checked<RunInput> {
  const argv = request.input === undefined ? request.args! : [...(request.args ?? ['-c']), request.input];
  const files: RunFile[] = [];
  for (const { path, content = '' } of request.files ?? []) {
    const name = normalizePath(path);
    if (name === null) return fileProblem(`File path '${path}' may not traverse beyond root`);
    const bytes = decodeBase64(content);
    if (bytes === null) return fileProblem(`Invalid base64 encoding for file '${path}'`);
    files.push({ name, bytes });
  }
  const refusedFiles = refuseInputFiles(files.map(({ name, bytes }) => ({ name, size: bytes.length })), rules.files);
  if (refusedFiles) return fileProblem(refusedFiles);
  const refusedCode = refuseCode(argv.join(' '), rules.maxCodeBytes);
  if (refusedCode) return { ok: false, problem: { status: 400, title: 'Request is over a limit', description: refusedCode } };
  let python: string | undefined;
  if (request.executable_path) {
    python = versionInPath(request.executable_path, choosableVersions(rules.pythons)) ?? undefined;
    if (python === undefined) return { ok: false, problem: { status: 400, title: 'executable_path does not exist' } };
  }
  return { ok: true, value: { code: '', argv, ...(files.length ? { files } : {}), ...(python ? { python } : {}) } };
}

function fileProblem(description: string): Checked<never> {
  return { ok: false, problem: { status: 400, title: 'Request file is invalid', description } };
}

/**
 * A relative path made plain, posix-style: empty and `.` parts dropped, `..` stepping back; null
 * when it steps above the root. Backslashes are ordinary characters, as on Linux.
 */
export function normalizePath(path: string): string | null {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') parts.push(part);
    else if (parts.pop() === undefined) return null;
  }
  return parts.join('/');
}

/**
 * The offered version an interpreter path names: `/snekbin/python/3.13/bin/python` and
 * `/usr/bin/python3.13` name 3.13; `/snekbin/python/3.14t/bin/python` (a free-threaded build) names
 * none. Null when it names no version offered.
 */
export function versionInPath(path: string, offered: readonly string[]): string | null {
  const named = [...path.matchAll(/(\d+\.\d+)(?![\w.])/g)].map((match) => match[1]!);
  return named.find((version) => offered.includes(version)) ?? null;
}

/** The result as snekbox answers it. */
export function evalResponse(result: RunResult): EvalResponse {
  return {
    stdout: result.status === 'sandbox_error' ? (result.reason ?? result.output) : result.output,
    returncode: snekboxReturnCode(result),
    files: result.files.map(({ name, bytes }) => ({ path: name, size: bytes.length, content: encodeBase64(bytes) })),
  };
}

/** snekbox's SIGTERM to NsJail when output passes its cap: 128 + 15. */
const OUTPUT_CAP_CODE = 143;

/**
 * The return code snekbox would report: the exit code when the program ended by itself; 128 + the
 * signal when it was killed (137 for SIGKILL: time, memory); 143 at the output cap, where snekbox
 * ends NsJail with SIGTERM; null when the code never ran (the reason is then in stdout).
 */
export function snekboxReturnCode(result: RunResult): number | null {
  switch (result.status) {
    case 'ok':
    case 'error':
      return result.exitCode;
    case 'output_limit':
      return OUTPUT_CAP_CODE;
    case 'sandbox_error':
      return null;
    default:
      return exitCodeOfSignal(result.signal ?? 'SIGKILL') ?? exitCodeOfSignal('SIGKILL');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOfType(value: unknown, type: 'string' | 'array' | 'object'): boolean {
  return type === 'string' ? typeof value === 'string' : type === 'array' ? Array.isArray(value) : isObject(value);
}

function notOfType(value: unknown, type: string): string {
  return `${pythonRepr(value)} is not of type '${type}'`;
}
