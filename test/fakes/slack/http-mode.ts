import { createHmac } from 'node:crypto';

/**
 * Slack's side of HTTP mode: POST signed requests to the app's receiver URL (e.g.
 * http://127.0.0.1:PORT/slack/events), the way Slack delivers events, commands and interactivity.
 */

export interface SignedPostOptions {
  signingSecret: string;
  /** Sign with a wrong secret (the app must answer 401). */
  badSignature?: boolean;
  /** Unix seconds for X-Slack-Request-Timestamp; default now (Bolt rejects > 5 min old). */
  timestamp?: number;
  /** X-Slack-Retry-Num / X-Slack-Retry-Reason, as on Slack's re-deliveries. */
  retryNum?: number;
  retryReason?: string;
  timeoutMs?: number;
}

export interface PostResult {
  status: number;
  body: string;
  /** `body` parsed as JSON when it is JSON. */
  json: unknown;
}

/** `v0=` + hex HMAC-SHA256 of `v0:${timestamp}:${body}` under the signing secret. */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export async function postSigned(url: string, body: string, contentType: string, opts: SignedPostOptions): Promise<PostResult> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const secret = opts.badSignature === true ? `${opts.signingSecret}-wrong` : opts.signingSecret;
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(secret, timestamp, body),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
  if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(opts.timeoutMs ?? 5000) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, body: text, json };
}

/** An Events API request (event_callback or url_verification): a JSON body. */
export function postEvent(url: string, payload: object, opts: SignedPostOptions): Promise<PostResult> {
  return postSigned(url, JSON.stringify(payload), 'application/json', opts);
}

/** A slash command: form-encoded fields. */
export function postCommand(url: string, command: object, opts: SignedPostOptions): Promise<PostResult> {
  const form = new URLSearchParams(Object.entries(command).map(([k, v]): [string, string] => [k, String(v)]));
  return postSigned(url, form.toString(), 'application/x-www-form-urlencoded', opts);
}

/** Interactivity (shortcuts, actions, views): form-encoded `payload=<JSON>`. */
export function postInteractive(url: string, payload: object, opts: SignedPostOptions): Promise<PostResult> {
  const form = new URLSearchParams({ payload: JSON.stringify(payload) });
  return postSigned(url, form.toString(), 'application/x-www-form-urlencoded', opts);
}
