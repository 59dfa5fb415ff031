/**
 * Discord-style snowflakes: (ms since the Discord epoch) << 22 | counter. Real ids sort by creation
 * time and discord.js derives `createdTimestamp` from them, so fake ids must have the same shape.
 */
const DISCORD_EPOCH = 1_420_070_400_000n;
let last = 0n;

export function snowflake(at: number = Date.now()): string {
  const candidate = (BigInt(at) - DISCORD_EPOCH) << 22n;
  // Strictly increasing, even for many ids in the same millisecond.
  last = candidate > last ? candidate : last + 1n;
  return last.toString();
}
