import { describe, expect, it } from 'vitest';
import { newNonce } from '../../sandbox/end-marker.js';
import { DEFAULT_LIMITS } from '../../sandbox/limits.js';
import { frameRequest } from '../../sandbox/request.js';
import { pythonLoads } from '../support/python-marshal.js';

/** The bootstrap reads exactly 28 header bytes, then the metadata, then the files (sandbox/bootstrap.py). */
describe('the request frame', () => {
  it('has a 28-byte header (the nonce, the metadata byte count in 10 digits), the metadata, the files, then stdin', async () => {
    const nonce = newNonce();
    const files = [{ name: 'data.csv', bytes: Buffer.from('a,b\n') }, { name: 'é.bin', bytes: new Uint8Array([0, 255]) }];
    const frame = frameRequest({ code: 'print("é")', stdin: 'rest\n', files, timeit: { setup: 'x = 1' } }, nonce, DEFAULT_LIMITS.files);
    const header = frame.subarray(0, 28).toString();
    expect(header).toMatch(new RegExp(`^${nonce} \\d{10}\n$`));
    const metadataEnd = 28 + Number(header.slice(17, 27));
    expect(await pythonLoads(frame.subarray(28, metadataEnd))).toEqual({
      code: 'print("é")',
      timeit: { setup: 'x = 1' },
      argv: null,
      files: [{ name: 'data.csv', size: 4 }, { name: 'é.bin', size: 2 }],
      collect: { files: 10, file_bytes: 8 << 20, total_bytes: 8 << 20, seconds: 1, entries: 10_000, depth: 16 },
    });
    expect(frame.subarray(metadataEnd)).toEqual(Buffer.concat([Buffer.from('a,b\n'), Buffer.from([0, 255]), Buffer.from('rest\n')]));
  });

  it('carries the interpreter\'s arguments when given instead of code', async () => {
    const frame = frameRequest({ code: '', argv: ['-m', 'timeit', 'pass'] }, newNonce(), DEFAULT_LIMITS.files);
    expect(await pythonLoads(frame.subarray(28))).toMatchObject({ code: '', timeit: null, argv: ['-m', 'timeit', 'pass'] });
  });

  it('keeps the header length for empty code', async () => {
    const frame = frameRequest({ code: '' }, newNonce(), DEFAULT_LIMITS.files);
    expect(frame.subarray(0, 28).toString()).toMatch(/^\w{16} \d{10}\n$/);
    expect(await pythonLoads(frame.subarray(28))).toMatchObject({ code: '' });
  });
});
