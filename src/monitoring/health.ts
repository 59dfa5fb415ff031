import { ADAPTER_LABELS, type PlatformConnection, type RunningAdapter } from '../adapter.js';
import type { PlatformName } from '../platforms.js';
import type { SandboxHealth, SandboxHealthCheck } from './sandbox-health.js';

/** The bot's /healthz body: 'ok' only when every adapter is connected and code can run. */
export interface BotHealth {
  status: 'ok' | 'unavailable';
  /** What is wrong, each naming its part ("the Discord adapter: …"); only when unavailable. */
  reasons?: string[];
  platforms: Partial<Record<PlatformName, PlatformConnection>>;
  sandbox: SandboxHealth;
}

export async function checkHealth(adapters: readonly RunningAdapter[], sandbox: SandboxHealthCheck): Promise<BotHealth> {
  const platforms: BotHealth['platforms'] = {};
  const reasons: string[] = [];
  for (const adapter of adapters) {
    const connection = adapter.connection();
    platforms[adapter.name] = connection;
    if (!connection.up) reasons.push(`${ADAPTER_LABELS[adapter.name]}: ${connection.reason ?? 'not connected'}`);
  }
  const code = await sandbox.check();
  if (!code.ok) reasons.push(`the sandbox: ${code.reason}`);
  return reasons.length ? { status: 'unavailable', reasons, platforms, sandbox: code } : { status: 'ok', platforms, sandbox: code };
}
