import { describe, expect, it } from 'vitest';
import { createLogger, TerminalLogs } from '../../src/log.js';

describe('TerminalLogs, the terminal chat logs', () => {
  it('turns each JSON line into one readable line, secrets still redacted, wherever it is redirected', () => {
    const logs = new TerminalLogs();
    const printed: string[] = [];
    logs.redirect((text) => printed.push(text));
    createLogger('warn', logs).warn({ reason: 'Docker is not reachable', token: 'secret' }, 'could not start a sandbox');
    expect(printed).toHaveLength(1);
    const colourless = printed[0]!.replace(/\x1b\[[0-9;]*m/g, ''); // coloured when stderr is a terminal
    expect(colourless).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: could not start a sandbox \{"reason":"Docker is not reachable","token":"\[redacted\]"\}\n$/);
  });
});
