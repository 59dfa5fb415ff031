import { describe, expect, it } from 'vitest';
import { markerPrefix, MarkerScanner } from '../../sandbox/end-marker.js';
import { OutputCollector } from '../../sandbox/output.js';

const prefix = markerPrefix('0123456789abcdef');
const marker = (code: number) => Buffer.concat([prefix, Buffer.from(`${String(code).padStart(3, '0')}\n`)]);

function scanInPieces(data: Buffer, size: number): { out: string; code: number | null } {
  const scanner = new MarkerScanner(prefix);
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(scanner.feed(data.subarray(i, i + size)));
  out.push(scanner.flush());
  return { out: Buffer.concat(out).toString(), code: scanner.found };
}

describe('MarkerScanner', () => {
  it('finds the marker and passes on only what came before it, however the bytes are chunked', () => {
    const data = Buffer.concat([Buffer.from('hello\nworld\n'), marker(3), Buffer.from('after')]);
    for (const size of [1, 2, 5, 17, 30, data.length]) {
      expect(scanInPieces(data, size)).toEqual({ out: 'hello\nworld\n', code: 3 });
    }
  });

  it('passes on a partial look-alike once it turns out not to be the marker', () => {
    const data = Buffer.concat([Buffer.from('a\0sandpiper:'), Buffer.from('b\n')]);
    expect(scanInPieces(data, 4)).toEqual({ out: 'a\0sandpiper:b\n', code: null });
  });

  it('ignores a marker with another nonce', () => {
    const other = Buffer.concat([markerPrefix('ffffffffffffffff'), Buffer.from('000\n')]);
    expect(scanInPieces(other, 3).code).toBeNull();
  });
});

describe('OutputCollector with the end marker', () => {
  it('reports the end only when both streams carried it, and strips it from the output', () => {
    const ends: number[] = [];
    const collector = new OutputCollector(1024);
    collector.expectMarker(prefix, (code) => ends.push(code));
    collector.push('stdout', Buffer.concat([Buffer.from('out\n'), marker(0)]));
    expect(ends).toEqual([]);
    collector.push('stderr', Buffer.concat([Buffer.from('err\n'), marker(0)]));
    expect(ends).toEqual([0]);
    expect(collector.finish()).toMatchObject({ output: 'out\nerr\n', bytes: 8 });
  });
});
