import type { CommandHelp } from './usage.js';

export const benchHelp: CommandHelp = {
  synopsis: 'bench [--json] [--quick] [--soak]',
  summary: 'measure latency and throughput of every sandbox path',
  details: `  --json    print one JSON object instead of the table
  --quick   a smaller sample (a few minutes)
  --soak    then 10,000 runs through the evaluator (1,000 with --quick), for the RSS trend

Needs runc and runsc registered with Docker. Starts runner services on 127.0.0.1 (free ports) for
the runner figures. \`npm run bench\` runs this with garbage collection exposed, so the memory
figures are of live memory.`,
};
