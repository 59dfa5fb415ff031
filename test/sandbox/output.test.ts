import { describe, expect, it } from 'vitest';
import { createDemuxer, OutputCollector, type StreamName } from '../../sandbox/output.js';
import { UP_SIGNAL } from '../../sandbox/up-signal.js';

function frame(type: 1 | 2, text: string | Buffer): Buffer {
  const payload = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('createDemuxer', () => {
  it('splits frames however the bytes are chunked', () => {
    const stream = Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err\n'), frame(1, 'out 2\n')]);
    for (const size of [1, 3, 7, 8, 9, stream.length]) {
      const seen: [StreamName, string][] = [];
      const feed = createDemuxer((name, chunk) => seen.push([name, chunk.toString()]));
      for (let i = 0; i < stream.length; i += size) feed(stream.subarray(i, i + size));
      expect(seen.map(([name, text]) => `${name}:${text}`).join('')).toBe('stdout:out 1\nstderr:err\nstdout:out 2\n');
    }
  });
});

describe('OutputCollector', () => {
  it('interleaves in arrival order and keeps each stream', () => {
    const collector = new OutputCollector(1024);
    collector.push('stdout', Buffer.from('a\n'));
    collector.push('stderr', Buffer.from('b\n'));
    collector.push('stdout', Buffer.from('c\n'));
    expect(collector.finish()).toEqual({ output: 'a\nb\nc\n', stdout: 'a\nc\n', stderr: 'b\n', bytes: 6, capped: false });
  });

  it('shares one cap between both streams and reports reaching it once', () => {
    let reached = 0;
    const collector = new OutputCollector(10, () => reached++);
    collector.push('stdout', Buffer.from('123456'));
    collector.push('stderr', Buffer.from('789012'));
    collector.push('stdout', Buffer.from('more'));
    const captured = collector.finish();
    expect(captured).toMatchObject({ output: '1234567890', bytes: 10, capped: true });
    expect(reached).toBe(1);
  });

  it('output of exactly the cap has reached it (gVisor can hand over a big write as exactly that)', () => {
    let reached = 0;
    const collector = new OutputCollector(10, () => reached++);
    collector.push('stdout', Buffer.from('12345'));
    expect(reached).toBe(0);
    collector.push('stdout', Buffer.from('67890'));
    expect(reached).toBe(1);
    expect(collector.finish()).toMatchObject({ bytes: 10, capped: true });
  });

  it('decodes a character split across chunks, even with the other stream in between', () => {
    const snake = Buffer.from('🐍');
    const collector = new OutputCollector(1024);
    collector.push('stdout', snake.subarray(0, 2));
    collector.push('stderr', Buffer.from('!'));
    collector.push('stdout', snake.subarray(2));
    expect(collector.finish()).toMatchObject({ stdout: '🐍', stderr: '!', output: '!🐍' });
  });

  it('replaces invalid UTF-8, including a character cut off at the end', () => {
    const collector = new OutputCollector(1024);
    collector.push('stdout', Buffer.from([0x6f, 0x6b, 0xff, 0x20, 0xe2, 0x82]));
    expect(collector.finish().stdout).toBe('ok\uFFFD \uFFFD');
  });
});

describe('the up signal (the time limit starts when Python is up)', () => {
  const outcome = async (collector: OutputCollector) => {
    const captured = collector.finish();
    return { up: await collector.up, stdout: captured.stdout, bytes: captured.bytes };
  };

  it('is read off the start of stdout however it is chunked, uncounted; the same bytes later are output', async () => {
    const stdout = Buffer.concat([UP_SIGNAL, Buffer.from('hi\n'), UP_SIGNAL]);
    for (const size of [1, 2, 5, UP_SIGNAL.length, UP_SIGNAL.length + 1, stdout.length]) {
      const collector = new OutputCollector(1024);
      let upBeforeOutput: boolean | null = null;
      void collector.up.then((up) => (upBeforeOutput ??= up));
      for (let i = 0; i < stdout.length; i += size) {
        collector.push('stderr', Buffer.from('e'));
        collector.push('stdout', stdout.subarray(i, i + size));
      }
      await Promise.resolve();
      expect(upBeforeOutput).toBe(true);
      expect(await outcome(collector)).toEqual({ up: true, stdout: `hi\n${UP_SIGNAL}`, bytes: 3 + UP_SIGNAL.length + Math.ceil(stdout.length / size) });
    }
  });

  it('is not up when stdout starts with anything else, and nothing is lost', async () => {
    const collector = new OutputCollector(1024);
    collector.push('stdout', UP_SIGNAL.subarray(0, 5));
    collector.push('stdout', Buffer.from('x'));
    expect(await outcome(collector)).toEqual({ up: false, stdout: `${UP_SIGNAL.subarray(0, 5)}x`, bytes: 6 });
  });

  it('is not up when stdout ends before the signal is whole, and the bytes held back are output', async () => {
    const collector = new OutputCollector(1024);
    collector.push('stdout', UP_SIGNAL.subarray(0, 4));
    expect(await outcome(collector)).toEqual({ up: false, stdout: `${UP_SIGNAL.subarray(0, 4)}`, bytes: 4 });
  });

  it('on stderr is output', async () => {
    const collector = new OutputCollector(1024);
    collector.push('stderr', UP_SIGNAL);
    collector.push('stdout', Buffer.from('1'));
    const captured = collector.finish();
    expect(await collector.up).toBe(false);
    expect(captured.stderr).toBe(UP_SIGNAL.toString());
  });
});
