/**
 * Identifier generators shaped like Slack's (so code that parses or sorts them behaves as in prod).
 */

let lastMicros = 0;

/**
 * A message timestamp like "1712345678.000123". Strictly increasing across the whole process, because
 * Slack's `ts` is a message's identity and the order of a conversation.
 */
export function nextTs(): string {
  lastMicros = Math.max(lastMicros + 1, Date.now() * 1000);
  const sec = Math.floor(lastMicros / 1_000_000);
  const micros = lastMicros % 1_000_000;
  return `${sec}.${String(micros).padStart(6, '0')}`;
}

let counter = 0;

/** An id with Slack's one-letter kind prefix: F (file), V (view), Ev (event), … */
export function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}${String(counter).padStart(8, '0')}FAKE`;
}

/** Compare two `ts` strings numerically (lexical compare breaks if the seconds differ in length). */
export function compareTs(a: string, b: string): number {
  const [as = '0', af = ''] = a.split('.');
  const [bs = '0', bf = ''] = b.split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
}
