import type { AttackClass } from './attack.js';
import { cpuBurn, hangs } from './cpu.js';
import { disk } from './disk.js';
import { escapes } from './escape.js';
import { hostWide } from './host.js';
import { kernelInfo } from './kernel.js';
import { memoryBombs } from './memory.js';
import { network } from './network.js';
import { outputFloods } from './output.js';
import { privilege } from './privilege.js';
import { forkBombs, zombiesAndDaemons } from './processes.js';
import { secrets } from './secrets.js';

export type { Attack, AttackClass, AttackContext, Expectation } from './attack.js';
export { CANARY } from './secrets.js';

/** The whole attack corpus, one entry per class. Cross-run isolation lives in isolation.test.ts. */
export const ATTACK_CLASSES: readonly AttackClass[] = [
  memoryBombs,
  forkBombs,
  zombiesAndDaemons,
  cpuBurn,
  hangs,
  disk,
  outputFloods,
  network,
  privilege,
  kernelInfo,
  hostWide,
  escapes,
  secrets,
];
