import type { FakeGateway } from './gateway.js';
import type { FakeState } from './state.js';
import type { FakeUser, RecordedRequest, RequestMatcher } from './types.js';

/** What the user-side helpers need: the state, the gateway, defaults, and the request log. */
export interface World {
  state: FakeState;
  gateway: FakeGateway;
  /** The user who acts when a helper isn't told otherwise. */
  defaultUser: FakeUser;
  /** The first text channel of the first guild. */
  defaultChannelId: string;
  waitForRequest(match: RequestMatcher, timeoutMs?: number): Promise<RecordedRequest>;
}
