/** Who the fake workspace, app and bot are. Tests may override any of it via `startFakeSlack(opts)`. */
export interface FakeTeam {
  teamId: string;
  teamDomain: string;
  appId: string;
  botUserId: string;
  botId: string;
  /** Accepted bot token (xoxb-…): everything except apps.connections.open. */
  botToken: string;
  /** Accepted app-level token (xapp-…): only apps.connections.open. */
  appToken: string;
  /** The human who sends events by default. */
  userId: string;
}

export const DEFAULT_TEAM: FakeTeam = {
  teamId: 'T0FAKETEAM',
  teamDomain: 'fake-team',
  appId: 'A0FAKEAPP',
  botUserId: 'U0FAKEBOT',
  botId: 'B0FAKEBOT',
  botToken: 'xoxb-fake-bot-token',
  appToken: 'xapp-1-fake-app-token',
  userId: 'U0FAKEUSER',
};
