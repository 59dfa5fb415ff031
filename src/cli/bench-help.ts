import type { CommandHelp } from './usage.js';

export const benchHelp: CommandHelp = {
  synopsis: 'bench [--json] [--quick]',
  summary: 'measure latency and throughput of every sandbox path',
  details: `  --json    print one JSON object instead of the table
  --quick   a smaller sample (well under two minutes)

Needs runc and runsc registered with Docker. \`npm run bench\` runs this with garbage collection
exposed, so the memory figures are of live memory.`,
};
