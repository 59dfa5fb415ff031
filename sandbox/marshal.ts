/**
 * Python's marshal format, for the request the bootstrap reads (sandbox/request.ts). `marshal` is
 * built into the interpreter, so reading it costs the sandbox no import: `json` would pull in `re`
 * and `enum`, about 6 ms of CPU in every run. Only the types a request needs are written, each
 * with the type code Python has read the same way since 3.0: None, booleans, 32-bit integers,
 * strings, lists and dicts with string keys.
 */
export type MarshalValue = null | boolean | number | string | readonly MarshalValue[] | { readonly [key: string]: MarshalValue };

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export function marshalDump(value: MarshalValue): Buffer {
  const parts: Buffer[] = [];
  const code = (letter: string) => parts.push(Buffer.from(letter, 'latin1'));
  const int32 = (n: number) => {
    const bytes = Buffer.alloc(4);
    bytes.writeInt32LE(n);
    parts.push(bytes);
  };
  const write = (item: MarshalValue): void => {
    if (item === null) code('N');
    else if (typeof item === 'boolean') code(item ? 'T' : 'F');
    else if (typeof item === 'number') {
      if (!Number.isInteger(item) || item < INT32_MIN || item > INT32_MAX) throw new RangeError(`marshal: ${item} is not a 32-bit integer`);
      code('i');
      int32(item);
    } else if (typeof item === 'string') {
      const utf8 = Buffer.from(item, 'utf8');
      code('u');
      int32(utf8.length);
      parts.push(utf8);
    } else if (Array.isArray(item)) {
      code('[');
      int32(item.length);
      for (const element of item as readonly MarshalValue[]) write(element);
    } else {
      code('{');
      for (const [key, element] of Object.entries(item)) {
        write(key);
        write(element);
      }
      code('0'); // the end of a dict
    }
  };
  write(value);
  return Buffer.concat(parts);
}
