import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { PythonImage } from '../../sandbox/image/pythons.js';
import type { FileLimits } from '../../sandbox/limits.js';

/**
 * What the service answers when it doesn't run anything: an HTTP status and snekbox's error body,
 * `{ title, description }` (falcon's shape, which snekbox clients read).
 */
export interface Problem {
  status: number;
  title: string;
  description?: string;
  headers?: Record<string, string>;
}

/** Thrown by a route to answer with a Problem; the error handler sends it. */
export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.description ?? problem.title);
  }
}

/** A Problem titled as falcon titles its HTTP errors: "415 Unsupported Media Type". */
export function statusProblem(status: number, description?: string, headers?: Record<string, string>): Problem {
  return { status, title: `${status} ${STATUS_CODES[status] ?? 'Error'}`, ...(description === undefined ? {} : { description }), ...(headers ? { headers } : {}) };
}

/** Answers with `problem`: its status, its headers, and `{title, description}` as the body. */
export function sendProblem(reply: FastifyReply, { status, title, description, headers }: Problem): FastifyReply {
  return reply
    .code(status)
    .headers(headers ?? {})
    .send(description === undefined ? { title } : { title, description });
}

/** A request read into what it asks for, or the Problem that answers it instead. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/** What reading a request needs to know of the sandbox's configuration: the Pythons offered and the limits on input. */
export interface InputRules {
  pythons: readonly PythonImage[];
  files: FileLimits;
  maxCodeBytes: number;
}
