/**
 * What to log about a failed Slack call: Slack's error code (`not_in_channel`, `ratelimited`, …) or
 * the client's, with its message. Never the error object itself: a request error can carry the
 * request, and the request carries the token.
 */
export function describeSlackError(error: unknown): string {
  const platform = platformError(error);
  if (platform) return platform;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}

/** Slack's own error code for a call it refused (`{ ok: false, error }`), if that is what failed. */
export function platformError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
