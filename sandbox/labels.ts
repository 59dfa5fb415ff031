import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';

/**
 * Labels on every sandbox container, so that a crashed bot's containers can be found and removed
 * (by the reaper, at startup and periodically) without touching anything else on the engine.
 */
export const LABEL_SANDBOX = 'sandpiper.sandbox';
export const LABEL_INSTANCE = 'sandpiper.instance';
export const LABEL_OWNER = 'sandpiper.owner';
export const LABEL_DEADLINE = 'sandpiper.deadline';
/** The chat request a container was started for (cold starts only: see SandboxRunner). */
export const LABEL_REQUEST = 'sandpiper.request';

/** Which bot process made a container: a unique id plus where it runs, to tell if it is alive. */
export interface Instance {
  id: string;
  host: string;
  pid: number;
}

export function currentInstance(): Instance {
  return { id: randomUUID(), host: hostname(), pid: process.pid };
}

/** Labels for a sandbox that must be gone by `deadlineMs` (epoch milliseconds). */
export function sandboxLabels(instance: Instance, deadlineMs: number, requestId?: string): Record<string, string> {
  return {
    [LABEL_SANDBOX]: '1',
    [LABEL_INSTANCE]: instance.id,
    [LABEL_OWNER]: `${instance.host}:${instance.pid}`,
    [LABEL_DEADLINE]: String(Math.ceil(deadlineMs)),
    ...(requestId !== undefined && { [LABEL_REQUEST]: requestId }),
  };
}
