import { describe, expect, it } from 'vitest';
import { newNonce } from '../../sandbox/end-marker.js';
import { frameRequest } from '../../sandbox/request.js';

/** The bootstrap reads exactly 28 header bytes, then exactly the code's bytes (sandbox/bootstrap.py). */
describe('the request frame', () => {
  it('has a 28-byte header: the nonce, the code byte count in 10 digits, a newline', () => {
    const nonce = newNonce();
    const frame = frameRequest({ code: 'print("é")', stdin: 'rest\n' }, nonce);
    expect(frame.subarray(0, 28).toString()).toBe(`${nonce} 0000000011\n`);
    expect(frame.subarray(28, 39).toString()).toBe('print("é")');
    expect(frame.subarray(39).toString()).toBe('rest\n'); // the program's own stdin follows
  });

  it('keeps the header length for empty code', () => {
    expect(frameRequest({ code: '' }, newNonce()).length).toBe(28);
  });
});
