import { describe, expect, it } from 'vitest';
import { maxReportBytes, readFilesReport, refuseInputFiles } from '../../sandbox/files.js';
import { DEFAULT_LIMITS, type FileLimits } from '../../sandbox/limits.js';

/** The sandbox's report of its files is read as untrusted: every limit again, paths checked. */

const LIMITS: FileLimits = { count: 2, fileKb: 1, totalKb: 2, collectS: 1 };

/** A report as the bootstrap writes it (bootstrap.py's report()). */
function report(files: Array<[string | Buffer, string | Buffer]>, leftOut: Record<string, number> = {}): Buffer {
  const parts = files.flatMap(([path, content]) => {
    const [name, data] = [Buffer.from(path), Buffer.from(content)];
    return [Buffer.from(`file ${name.length} ${data.length}\n`), name, data];
  });
  const counts = Object.entries(leftOut).map(([reason, count]) => ` ${reason}=${count}`);
  return Buffer.concat([...parts, Buffer.from(`left_out${counts.join('')}\n`)]);
}

describe('reading the files report', () => {
  it('reads files and what was left out', () => {
    const files: Array<[string | Buffer, string | Buffer]> = [
      ['a.txt', 'A\nfile 1 1\n'],
      ['dir/b.bin', Buffer.from([0, 10, 255])],
      ['é space\nnewline', ''],
      [Buffer.from([0x62, 0xff, 0x2e, 0x74]), 'not UTF-8'], // a name that isn't UTF-8 reads with U+FFFD
    ];
    const read = readFilesReport(report(files, { walk: 0 }), { ...LIMITS, count: 4 });
    expect(read.files.map((f) => [f.name, Buffer.from(f.bytes).toString('latin1')])).toEqual([
      ['a.txt', 'A\nfile 1 1\n'],
      ['dir/b.bin', '\0\n\xff'],
      ['é space\nnewline', ''],
      ['b\ufffd.t', 'not UTF-8'],
    ]);
    expect(read.leftOut).toEqual({ walk: 0 });
  });

  it('applies the limits again whatever the report says: count, size per file, total', () => {
    const kib = 'x'.repeat(1024);
    expect(readFilesReport(report([['a', 'a'], ['b', 'b'], ['c', 'c']], { count: 4 }), LIMITS).leftOut).toEqual({ count: 5 });
    expect(readFilesReport(report([['big', `${kib}!`]]), LIMITS)).toMatchObject({ files: [], leftOut: { size: 1 } });
    expect(readFilesReport(report([['a', kib], ['b', kib.slice(1)], ['c', '']]), { ...LIMITS, count: 3 }).leftOut).toEqual({});
    expect(readFilesReport(report([['a', kib], ['b', kib], ['c', 'c']]), { ...LIMITS, count: 3 }).leftOut).toEqual({ total: 1 });
  });

  it('a malformed report gives no files at all', () => {
    const good = report([['a.txt', 'a']]);
    for (const bad of [
      good.subarray(0, good.length - 1), // no final newline
      Buffer.concat([good, Buffer.from('more')]), // bytes after the last line
      report([['../escape', 'x']]),
      report([['/etc/passwd', 'x']]),
      report([['a//b', 'x']]),
      report([['./a', 'x']]),
      report([['', 'x']]),
      report([]).subarray(1),
      Buffer.from('file 1 99\naab\nleft_out\n'), // shorter than it says
      Buffer.from('file 1 -1\na\nleft_out\n'),
      Buffer.from('file 1 01\nax\nleft_out\n'),
      Buffer.from('file 1 1 1\nax\nleft_out\n'),
      Buffer.from('left_out stolen=1\n'),
      Buffer.from('left_out count=-1\n'),
      Buffer.from('left_out count\n'),
      Buffer.from('left_out  count=1\n'),
      Buffer.from('{"left_out": {}}\n'),
      report([['a'.repeat(5000), '']]), // a longer path than any the sandbox collects
      Buffer.from(`left_out${' walk=0'.repeat(40)}\n`), // a line longer than any the sandbox writes
    ]) {
      expect(readFilesReport(bad, LIMITS), bad.toString().slice(0, 60)).toEqual({ files: [], leftOut: { unreadable: 0 } });
    }
  });

  it('bounds the report the marker may announce by the limits', () => {
    expect(maxReportBytes(DEFAULT_LIMITS.files)).toBeGreaterThan(DEFAULT_LIMITS.files.totalKb * 1024);
    expect(maxReportBytes(DEFAULT_LIMITS.files)).toBeLessThan(DEFAULT_LIMITS.files.totalKb * 1024 * 2);
  });
});

describe('refusing input files', () => {
  it('says which file and which limit', () => {
    expect(refuseInputFiles([{ name: 'data.csv', size: 10 }], LIMITS)).toBeNull();
    expect(refuseInputFiles([{ name: 'a', size: 1 }, { name: 'b', size: 1 }, { name: 'c', size: 1 }], LIMITS)).toBe(
      '3 files are attached, over the limit of 2',
    );
    expect(refuseInputFiles([{ name: 'big.csv', size: 2048 }], LIMITS)).toBe('big.csv is 2 KiB, over the limit of 1 KiB per file');
    expect(refuseInputFiles([{ name: 'a', size: 1024 }, { name: 'b', size: 1025 }], { ...LIMITS, fileKb: 2 })).toBe(
      'the files come to 3 KiB, over the limit of 2 KiB in all',
    );
    expect(refuseInputFiles([{ name: '.cache', size: 1 }], LIMITS)).toBe(
      '".cache" can\'t be a file name here: use a plain name (or folder/name), with no part starting with a dot',
    );
    for (const name of ['../x', 'a/../x', './x', '/etc/x', 'a//x', 'a/', 'a/.git/x', 'a\0b', 'x'.repeat(256), 'd/'.repeat(16) + 'x']) {
      expect(refuseInputFiles([{ name, size: 1 }], LIMITS)).toMatch(/can't be a file name here/);
    }
    // Folders are fine (snekbox's API sends a package as mod/__init__.py and mod/lib.py).
    expect(refuseInputFiles([{ name: 'mod/lib.py', size: 1 }, { name: 'd/'.repeat(15) + 'x', size: 1 }], LIMITS)).toBeNull();
    expect(refuseInputFiles([{ name: 'a', size: 1 }, { name: 'a', size: 1 }], LIMITS)).toBe('two files are called "a"');
  });
});
