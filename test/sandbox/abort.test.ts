import { getEventListeners, setMaxListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { anyAborted } from '../../sandbox/abort.js';

describe('anyAborted', () => {
  it('aborts when any source does, with its reason, and lets go of the others', () => {
    const [a, b] = [new AbortController(), new AbortController()];
    const linked = anyAborted([a.signal, undefined, b.signal]);
    expect(linked.signal.aborted).toBe(false);
    b.abort('stopping');
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe('stopping');
    expect(getEventListeners(a.signal, 'abort')).toHaveLength(0);
  });

  it('is aborted at once when a source already is', () => {
    const a = new AbortController();
    a.abort('gone');
    const linked = anyAborted([new AbortController().signal, a.signal]);
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe('gone');
  });

  it('once released, leaves nothing on a long-lived source, and a later abort no longer reaches it', () => {
    const shutdown = new AbortController();
    setMaxListeners(0, shutdown.signal); // as a bot's shutdown signal is: many runs listen at once
    const links = Array.from({ length: 1000 }, () => anyAborted([shutdown.signal, new AbortController().signal]));
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(1000);
    links.forEach((link) => link.release());
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
    shutdown.abort();
    expect(links.some((link) => link.signal.aborted)).toBe(false);
  });
});
