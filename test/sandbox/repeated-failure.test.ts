import { describe, expect, it } from 'vitest';
import { RepeatedFailure } from '../../sandbox/repeated-failure.js';
import { RecordingLog } from '../support/sandbox.js';

describe('RepeatedFailure', () => {
  it('says a failure once, its repeats at debug, and its end once', () => {
    const log = new RecordingLog();
    const failure = new RepeatedFailure(log, { failed: 'down', recovered: 'back' });
    failure.succeeded(); // nothing had failed: nothing to say
    for (let i = 0; i < 4; i++) failure.failed({ attempt: i });
    failure.succeeded();
    failure.succeeded();
    failure.failed({ attempt: 9 });
    expect(log.lines.map(({ level, message }) => `${level} ${message}`)).toEqual([
      'warn down',
      'debug down (still)',
      'debug down (still)',
      'debug down (still)',
      'info back',
      'warn down',
    ]);
    expect(log.lines[0]!.details).toEqual({ attempt: 0 });
  });

  it('can say it at error level', () => {
    const log = new RecordingLog();
    new RepeatedFailure(log, { failed: 'not ready', recovered: 'ready' }, 'error').failed({});
    expect(log.count('error', 'not ready')).toBe(1);
  });
});
