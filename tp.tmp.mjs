// Temporary: the bench's throughput and ceiling figures, alternated three times.
import { engineCeiling, throughput } from '/work/main/dist/src/bench/paths.js';
import { loadConfig } from '/work/main/dist/src/config.js';
import { createLogger } from '/work/main/dist/src/log.js';
import { openSandbox } from '/work/main/dist/src/sandbox.js';
const config = loadConfig();
const log = createLogger('silent');
const python = config.sandbox.pythons[0];
for (let round = 0; round < Number(process.env.ROUNDS ?? 3); round++) {
  const sandbox = openSandbox({ ...config.sandbox, pythons: [python], runtime: 'runc', poolSize: 4, preimport: [] }, log, { prepare: false });
  await sandbox.ready; await sandbox.whenWarm();
  const rps = await throughput(sandbox, 8, 300);
  await sandbox.close();
  const ceiling = await engineCeiling(python.image, 8, 150);
  console.log(JSON.stringify({ round, rps: rps.toFixed(2), ceiling: ceiling.toFixed(2), ratio: (rps / ceiling).toFixed(2) }));
}
process.exit(0);
