import { describe, expect, it } from 'vitest';
import { markerPrefix, MarkerScanner } from '../../sandbox/end-marker.js';
import { OutputCollector, type StreamName } from '../../sandbox/output.js';

const prefix = markerPrefix('0123456789abcdef');
const marker = (code: number, report = '') =>
  Buffer.concat([prefix, Buffer.from(`${String(code).padStart(3, '0')}:${String(report.length).padStart(10, '0')}\n${report}`)]);

function scanInPieces(data: Buffer, size: number, maxReport = 0): { out: string; code: number | null; broken: boolean } {
  const scanner = new MarkerScanner(prefix, maxReport);
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(scanner.feed(data.subarray(i, i + size)));
  out.push(scanner.flush());
  return { out: Buffer.concat(out).toString('latin1'), code: scanner.found, broken: scanner.broken };
}

const SIZES = [1, 2, 5, 17, 30, 1000];

describe('MarkerScanner', () => {
  it('finds the marker at the end and passes on only what came before it, however the bytes are chunked', () => {
    const data = Buffer.concat([Buffer.from('hello\nworld\n'), marker(3)]);
    for (const size of SIZES) expect(scanInPieces(data, size)).toEqual({ out: 'hello\nworld\n', code: 3, broken: false });
  });

  it('passes on a partial look-alike once it turns out not to be the marker', () => {
    const data = Buffer.concat([Buffer.from('a\0sandpiper:'), Buffer.from('b\n')]);
    expect(scanInPieces(data, 4)).toEqual({ out: 'a\0sandpiper:b\n', code: null, broken: false });
  });

  it('ignores a marker with another nonce: it is output', () => {
    const other = Buffer.concat([markerPrefix('ffffffffffffffff'), Buffer.from('000:0000000000\n')]);
    expect(scanInPieces(other, 3)).toEqual({ out: other.toString('latin1'), code: null, broken: false });
  });

  it('output after the marker is output all the same, and breaks the stream', () => {
    const data = Buffer.concat([Buffer.from('before'), marker(0), Buffer.from('after')]);
    for (const size of SIZES) expect(scanInPieces(data, size)).toEqual({ out: 'beforeafter', code: 0, broken: true });
  });

  it('a second marker is output and breaks the stream', () => {
    const data = Buffer.concat([marker(0), marker(1)]);
    for (const size of SIZES) {
      expect(scanInPieces(data, size)).toEqual({ out: marker(1).toString('latin1'), code: 0, broken: true });
    }
  });

  it('our prefix with a malformed tail breaks the stream, and every byte of it and after it is output', () => {
    for (const tail of ['1e2:0000000000\n', '-01:0000000000\n', '000:000000000\n\n', '000 0000000000\n', '\n'.repeat(15)]) {
      const data = Buffer.concat([Buffer.from('x'), prefix, Buffer.from(tail), Buffer.from('y'.repeat(50))]);
      for (const size of SIZES) {
        expect(scanInPieces(data, size)).toEqual({ out: data.toString('latin1'), code: null, broken: true });
      }
    }
  });

  it('takes the report after the marker, however chunked, and nothing after it', () => {
    const data = Buffer.concat([Buffer.from('out'), marker(2, 'report\n\0bytes')]);
    for (const size of SIZES) {
      const scanner = new MarkerScanner(prefix, 100);
      const out: Buffer[] = [];
      for (let i = 0; i < data.length; i += size) {
        expect(scanner.report).toBeNull();
        out.push(scanner.feed(data.subarray(i, i + size)));
      }
      expect({ out: Buffer.concat(out).toString(), code: scanner.found, report: scanner.report?.toString(), broken: scanner.broken }).toEqual({
        out: 'out',
        code: 2,
        report: 'report\n\0bytes',
        broken: false,
      });
    }
    const after = Buffer.concat([marker(0, 'r'), Buffer.from('late')]);
    for (const size of SIZES) expect(scanInPieces(after, size, 100)).toEqual({ out: 'late', code: 0, broken: true });
  });

  it('a marker announcing a report over the limit breaks the stream, and is output', () => {
    const data = marker(0, 'x'.repeat(11));
    expect(scanInPieces(data, 5, 10)).toEqual({ out: data.toString('latin1'), code: null, broken: true });
  });

  it('a marker cut off by the end of the stream is output', () => {
    const cut = marker(0).subarray(0, prefix.length + 2);
    expect(scanInPieces(cut, 7)).toEqual({ out: cut.toString('latin1'), code: null, broken: false });
  });
});

describe('OutputCollector with the end marker', () => {
  function collect(cap: number, pushes: [StreamName, Buffer][]) {
    const seen: string[] = [];
    const collector = new OutputCollector(cap, () => seen.push('capped'));
    collector.expectMarker(prefix, 100, {
      ended: (code, report) => seen.push(`ended ${code}${report.length ? ` ${report.toString()}` : ''}`),
      broken: () => seen.push('broken'),
    });
    for (const [stream, chunk] of pushes) collector.push(stream, chunk);
    return { seen, captured: collector.finish() };
  }

  it('reports the end only when both streams carried it, and strips it from the output', () => {
    const { seen, captured } = collect(1024, [
      ['stdout', Buffer.concat([Buffer.from('out\n'), marker(0)])],
      ['stderr', Buffer.concat([Buffer.from('err\n'), marker(0)])],
    ]);
    expect(seen).toEqual(['ended 0']);
    expect(captured).toMatchObject({ output: 'out\nerr\n', bytes: 8, capped: false });
  });

  it('ends only once the whole report has come, and takes it from stdout; the program ended with stderr’s marker', () => {
    const seen: string[] = [];
    const collector = new OutputCollector(1024);
    collector.expectMarker(prefix, 100, { ended: (code, report) => seen.push(`ended ${code} ${report.toString()}`), broken: () => seen.push('broken') });
    expect(collector.programEnded).toBe(false);
    collector.push('stderr', marker(1));
    expect(collector.programEnded).toBe(true);
    const stdout = marker(1, 'the files');
    collector.push('stdout', stdout.subarray(0, stdout.length - 3));
    expect(seen).toEqual([]);
    collector.push('stdout', stdout.subarray(stdout.length - 3));
    expect(seen).toEqual(['ended 1 the files']);
  });

  it('a flood after one stream’s marker counts against the cap: broken at once, capped soon after', () => {
    const flood = Buffer.alloc(600, 'f');
    const { seen, captured } = collect(1024, [
      ['stdout', marker(0)],
      ['stdout', flood],
      ['stdout', flood],
      ['stderr', marker(0)],
    ]);
    expect(seen).toEqual(['broken', 'capped', 'ended 0']);
    expect(captured).toMatchObject({ stdout: 'f'.repeat(1024), bytes: 1024, capped: true });
  });

  it('says broken once, whichever streams break', () => {
    const { seen } = collect(1024, [
      ['stdout', Buffer.concat([marker(0), Buffer.from('late')])],
      ['stderr', Buffer.concat([prefix, Buffer.from('bad!')])],
      ['stdout', Buffer.from('later')],
    ]);
    expect(seen).toEqual(['broken']);
  });
});
