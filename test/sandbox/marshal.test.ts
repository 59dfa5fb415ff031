import { describe, expect, it } from 'vitest';
import { marshalDump, type MarshalValue } from '../../sandbox/marshal.js';
import { BUILT_IN_PYTHONS } from '../support/sandbox.js';
import { pythonLoads } from '../support/python-marshal.js';

/** What the bootstrap reads its request with: every type the request uses, read by every Python offered. */
const VALUE: MarshalValue = {
  none: null,
  yes: true,
  no: false,
  ints: [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 8 << 20],
  strings: ['', 'print("hi")\n', 'é ü ß', '日本語', '🐍 emoji beyond the BMP', 'a\0b', 'x'.repeat(70_000)],
  nested: { list: [[], {}, [null, 'x']], 'key with spaces': { deeper: [1] } },
};

describe('marshalDump', () => {
  it.each(BUILT_IN_PYTHONS)('writes what Python $version reads back as the same value', async ({ image }) => {
    expect(await pythonLoads(marshalDump(VALUE), image)).toEqual(VALUE);
  }, 60_000);

  it('refuses a number marshal\'s 32-bit integer can\'t hold, rather than sending another', () => {
    for (const bad of [2 ** 31, -(2 ** 31) - 1, 1.5, Number.NaN]) {
      expect(() => marshalDump({ size: bad })).toThrow(/not a 32-bit integer/);
    }
  });
});
