import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { ExpiringMap } from '../../src/expiring-map.js';
import type { Logger } from '../../src/log.js';

/** Slack retries a delivery three times within about five minutes; remember ids well past that. */
const REMEMBER_MS = 30 * 60_000;

/**
 * What was already handled, so code never runs twice for one request. Slack re-delivers an event
 * (same event_id) when it thinks the ack came too late, over either transport; a command or
 * shortcut is identified by its trigger_id; and one message can arrive as two events (a mention
 * in a DM is both `app_mention` and `message.im`).
 */
export class Deduplicator {
  private readonly seen = new ExpiringMap<string, true>(REMEMBER_MS);

  /** True the first time `key` is seen, false on every repeat. */
  first(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.set(key, true);
    return true;
  }

  /** Global middleware dropping re-deliveries (acked, so Slack stops retrying) before any listener runs. */
  middleware(log: Logger): Middleware<AnyMiddlewareArgs> {
    return async (args) => {
      const key = deliveryKey(args.body);
      if (key === undefined || this.first(key)) return args.next();
      const { retryNum, retryReason } = args.context;
      log.info({ delivery: key, retryNum, retryReason }, 'dropped a repeated Slack delivery');
      if ('ack' in args && args.ack) await args.ack();
    };
  }
}

function deliveryKey(body: AnyMiddlewareArgs['body']): string | undefined {
  if ('event_id' in body && typeof body.event_id === 'string') return `event:${body.event_id}`;
  if ('trigger_id' in body && typeof body.trigger_id === 'string') return `trigger:${body.trigger_id}`;
  return undefined;
}
