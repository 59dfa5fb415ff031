import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunLimiter, type Admission, type LimiterSettings } from '../../src/limiter.js';

const settings: LimiterSettings = { userRunsPerMinute: 5, userQueue: 2, concurrency: 2, queue: 3, runSeconds: 6 };

/** A job that runs until released, and records how many jobs run at once. */
function gate() {
  let running = 0;
  let peak = 0;
  let started = 0;
  const releases: (() => void)[] = [];
  const job = () =>
    new Promise<string>((resolve) => {
      started++;
      running++;
      peak = Math.max(peak, running);
      releases.push(() => {
        running--;
        resolve('done');
      });
    });
  return {
    job,
    releaseAll: () => releases.splice(0).forEach((release) => release()),
    get running() {
      return running;
    },
    get peak() {
      return peak;
    },
    get started() {
      return started;
    },
  };
}

const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (up to 5 s) until `condition` holds: no fixed sleeps, so a busy machine can't flake it. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 5000) throw new Error('condition not met in 5 s');
    await tick(5);
  }
}

/** Keeps releasing gated jobs as they start until every admission has settled. */
async function drain<T>(admissions: Promise<T>[], ...gates: { releaseAll(): void }[]): Promise<T[]> {
  let settled = false;
  const all = Promise.all(admissions).finally(() => (settled = true));
  while (!settled) {
    gates.forEach((g) => g.releaseAll());
    await tick(5);
  }
  return all;
}

describe('RunLimiter', () => {
  afterEach(() => vi.useRealTimers());

  it('one user flooding 20 requests: 1 running, 2 queued, the rest refused with a retry hint; another user still runs', async () => {
    const limiter = new RunLimiter(settings);
    const flood = gate();
    const results: Promise<Admission<string>>[] = [];
    let refusedSoFar = 0;
    for (let i = 0; i < 20; i++) {
      const admission = limiter.schedule('discord:flooder', flood.job);
      void admission.then((a) => (refusedSoFar += a.admitted ? 0 : 1));
      results.push(admission);
    }
    // The burst is decided while the first run is still going: 17 refused at once.
    await until(() => flood.running === 1 && refusedSoFar === 17);

    const other = gate();
    const otherRun = limiter.schedule('discord:bystander', other.job);
    await until(() => other.running === 1); // not stuck behind the flood
    expect(flood.running).toBe(1);

    const admissions = await drain(results, flood, other);
    const admitted = admissions.filter((a) => a.admitted);
    const refused = admissions.filter((a): a is Extract<Admission<string>, { admitted: false }> => !a.admitted);
    expect(admitted).toHaveLength(3); // the running one + 2 queued
    expect(refused).toHaveLength(17);
    for (const refusal of refused) {
      expect(refusal.reason).toBe('user_queue');
      expect(refusal.retryAfterS).toBeGreaterThan(0);
    }
    expect(await drain([otherRun], other)).toEqual([{ admitted: true, value: 'done' }]);
    expect(flood.peak).toBe(1); // one run at a time per user
  });

  it('a user past their runs per minute is told how long to wait', async () => {
    const limiter = new RunLimiter({ ...settings, userRunsPerMinute: 2 });
    const quick = async () => 'ok';
    expect(await limiter.schedule('slack:u', quick)).toEqual({ admitted: true, value: 'ok' });
    expect(await limiter.schedule('slack:u', quick)).toEqual({ admitted: true, value: 'ok' });
    const refused = await limiter.schedule('slack:u', quick);
    expect(refused).toMatchObject({ admitted: false, reason: 'user_rate' });
    if (!refused.admitted) {
      expect(refused.retryAfterS).toBeGreaterThan(50);
      expect(refused.retryAfterS).toBeLessThanOrEqual(60);
    }
    expect(await limiter.schedule('slack:someone-else', quick)).toEqual({ admitted: true, value: 'ok' });
  });

  it('caps sandboxes globally, queues up to the cap, and refuses the rest as busy', async () => {
    const limiter = new RunLimiter(settings);
    const work = gate();
    const results = Array.from({ length: 8 }, (_, i) => limiter.schedule(`console:user${i}`, work.job));
    await until(() => work.running === 2);
    await tick(50);
    expect(work.running).toBe(2); // concurrency: no third one starts
    expect(limiter.load).toEqual({ running: 2, waiting: 3 }); // what the bot's /metrics shows
    const admissions = await drain(results, work);
    expect(limiter.load).toEqual({ running: 0, waiting: 0 });
    expect(admissions.filter((a) => a.admitted)).toHaveLength(5); // 2 running + 3 queued
    expect(admissions.filter((a) => !a.admitted).map((a) => !a.admitted && a.reason)).toEqual(['busy', 'busy', 'busy']);
    expect(work.peak).toBe(2);
  });

  it('after stop(), waiting runs and new ones are refused as stopping, running ones finish', async () => {
    const limiter = new RunLimiter(settings);
    const work = gate();
    const running = limiter.schedule('console:a', work.job);
    const waiting = limiter.schedule('console:a', work.job);
    await until(() => work.running === 1);
    const stopped = limiter.stop();
    await tick();
    work.releaseAll();
    await stopped;
    expect(await running).toEqual({ admitted: true, value: 'done' });
    expect(await waiting).toMatchObject({ admitted: false, reason: 'stopping' });
    expect(await limiter.schedule('console:b', work.job)).toMatchObject({ admitted: false, reason: 'stopping' });
  });

  it('starts a run in the tick it is admitted, and the next one in the turn a sandbox frees: no timer in between', async () => {
    const limiter = new RunLimiter({ ...settings, concurrency: 1 });
    const work = gate();
    const first = limiter.schedule('console:a', work.job);
    expect(work.started).toBe(1);
    const second = limiter.schedule('console:b', work.job);
    expect(work.started).toBe(1); // the only sandbox is taken
    work.releaseAll();
    await new Promise((resolve) => setImmediate(resolve)); // one event-loop turn: before any timer could fire
    expect(work.started).toBe(2);
    work.releaseAll();
    expect(await Promise.all([first, second])).toEqual([
      { admitted: true, value: 'done' },
      { admitted: true, value: 'done' },
    ]);
  });

  it("gives a user this minute's runs back once their minute is over", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const limiter = new RunLimiter({ ...settings, userRunsPerMinute: 1 });
    const quick = async () => 'ok';
    expect(await limiter.schedule('slack:u', quick)).toEqual({ admitted: true, value: 'ok' });
    vi.advanceTimersByTime(45_000);
    expect(await limiter.schedule('slack:u', quick)).toEqual({ admitted: false, reason: 'user_rate', retryAfterS: 15 });
    vi.advanceTimersByTime(15_000);
    expect(await limiter.schedule('slack:u', quick)).toEqual({ admitted: true, value: 'ok' });
  });
});
