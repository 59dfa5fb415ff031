/** A quick Docker call (list, inspect, kill, info) taking longer than this means a wedged engine. */
export const QUICK_CALL_MS = 10_000;
/** Removing a running container takes longer than a quick call, more so under load. */
export const REMOVE_CALL_MS = 30_000;

/** Rejects with `message` if `promise` hasn't settled within `ms`; the promise itself runs on. */
export function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export class DeadlineError extends Error {
  override name = 'DeadlineError';
}

/** Resolves once `promise` settles, however it settles, or after `ms`, whichever comes first. */
export function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  return withDeadline(promise, ms, 'still waiting').then(
    () => {},
    () => {},
  );
}
