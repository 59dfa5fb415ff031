import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, webApi, type Logger } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  postCommand,
  postEvent,
  postInteractive,
  startFakeSlack,
  type FakeSlack,
  type RecordedCall,
} from './slack/index.js';

/** A logger that prints nothing but keeps warnings/errors, so a failing test can show them. */
function quietLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (...msg: unknown[]) => void lines.push(`${level}: ${msg.map(String).join(' ')}`);
  return {
    lines,
    debug: () => {},
    info: () => {},
    warn: keep('warn'),
    error: keep('error'),
    setLevel: () => {},
    getLevel: () => LogLevel.ERROR,
    setName: () => {},
  };
}

const argText = (c: RecordedCall): string => String(c.args.text ?? '');

describe('fake Slack + real Bolt App in Socket Mode', () => {
  let fake: FakeSlack;
  let app: App;
  let logger: ReturnType<typeof quietLogger>;
  let mentions: { eventId: string; retryNum: number | undefined }[];

  beforeEach(async () => {
    fake = await startFakeSlack();
    logger = quietLogger();
    mentions = [];
    // The fake must be up before `new App`: with a token, Bolt calls auth.test in the constructor.
    app = new App({ ...fake.boltOptions(), logger });

    app.event('app_mention', async ({ event, body, context, say, client }) => {
      mentions.push({ eventId: body.event_id, retryNum: context.retryNum });
      await say({ text: `running: ${event.text}`, thread_ts: event.ts });
      await client.chat.postMessage({ channel: event.channel, thread_ts: event.ts, text: `done #${mentions.length}` });
    });
    app.command('/run', async ({ command, ack, respond }) => {
      await ack();
      await respond({ response_type: 'in_channel', text: `ran ${command.text}` });
    });
    app.shortcut('run_code', async ({ shortcut, ack, client }) => {
      await ack();
      if (shortcut.type !== 'message_action') return;
      await client.chat.postMessage({ channel: shortcut.channel.id, thread_ts: shortcut.message_ts, text: `shortcut: ${shortcut.message.text}` });
    });

    await app.start();
  });

  afterEach(async () => {
    // Stop the app before the fake goes away, or Socket Mode would try to reconnect to nothing.
    await app.stop();
    await fake.close();
    // Bolt reports listener failures only through its logger: surface them.
    expect(logger.lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('connects through apps.connections.open with the app token and the fake sends hello', async () => {
    expect(fake.socket.connectionCount).toBe(1);
    const open = await fake.waitForCall('apps.connections.open');
    expect(open.token).toBe(fake.team.appToken);
    const auth = await fake.waitForCall('auth.test');
    expect(auth.token).toBe(fake.team.botToken);
  });

  it('delivers app_mention, records the ack, and receives say() and chat.postMessage in the thread', async () => {
    const body = fake.payloads.appMention({ text: 'print(1)' });
    const envelope = fake.sendEvent(body);
    const ack = await fake.waitForAck(envelope.envelope_id);
    expect(ack.envelope_id).toBe(envelope.envelope_id);

    const said = await fake.waitForCall('chat.postMessage', (c) => argText(c).startsWith('running:'));
    expect(said.args).toMatchObject({ channel: body.event.channel, thread_ts: body.event.ts });
    expect(argText(said)).toBe(`running: <@${fake.team.botUserId}> print(1)`);
    const done = await fake.waitForCall('chat.postMessage', (c) => argText(c) === 'done #1');
    expect(done.token).toBe(fake.team.botToken);

    const thread = fake.store.all().filter((m) => m.thread_ts === body.event.ts);
    expect(thread.map((m) => m.text)).toEqual([said.args.text, 'done #1']);
    expect(mentions).toEqual([{ eventId: body.event_id, retryNum: 0 }]);
  });

  it('delivers /run, records ack() and the respond() POST to the response_url', async () => {
    const command = fake.payloads.slashCommand({ text: 'print(2)' });
    const envelope = fake.sendCommand(command);
    const ack = await fake.waitForAck(envelope.envelope_id);
    expect(ack.payload).toEqual({});

    const response = await fake.waitForCall('response_url');
    expect(response.args).toMatchObject({ text: 'ran print(2)', response_type: 'in_channel' });
    expect(command.response_url).toContain(String(response.args.response_url_id));
  });

  it('delivers a message shortcut', async () => {
    const shortcut = fake.payloads.messageShortcut({ callbackId: 'run_code', text: 'print(3)' });
    const envelope = fake.sendInteractive(shortcut);
    await fake.waitForAck(envelope.envelope_id);
    const posted = await fake.waitForCall('chat.postMessage', (c) => argText(c) === 'shortcut: print(3)');
    expect(posted.args.thread_ts).toBe(shortcut.message_ts);
  });

  it('completes files.uploadV2 and stores the bytes', async () => {
    const parent = fake.store.add('C0FAKECHAN', { user: fake.team.userId, text: 'print("x" * 5000)' });
    const result = await app.client.files.uploadV2({
      channel_id: 'C0FAKECHAN',
      thread_ts: parent.ts,
      filename: 'output.txt',
      content: 'hello\nworld\n',
      initial_comment: 'full output',
    });
    expect(result.ok).toBe(true);

    const [file] = [...fake.store.files.values()];
    expect(file?.data?.toString('utf8')).toBe('hello\nworld\n');
    expect(file).toMatchObject({ name: 'output.txt', completed: true, size: 12 });
    expect(fake.callsTo('upload')).toHaveLength(1);
    const complete = await fake.waitForCall('files.completeUploadExternal');
    expect(complete.args).toMatchObject({ channel_id: 'C0FAKECHAN', thread_ts: parent.ts, files: [{ id: file?.id, title: 'output.txt' }] });
    const shared = fake.store.all().find((m) => m.files !== undefined);
    expect(shared).toMatchObject({ text: 'full output', thread_ts: parent.ts });
  });

  it('a ratelimited answer is retried by the Web API client, then succeeds', async () => {
    fake.rateLimitNext('chat.postMessage', 1, 1);
    const res = await app.client.chat.postMessage({ channel: 'C0FAKECHAN', text: 'after the limit' });
    expect(res.ok).toBe(true);
    const calls = fake.callsTo('chat.postMessage');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[0]?.fault?.error).toBe('ratelimited');
  }, 15_000);

  it('an injected platform error reaches the caller unretried', async () => {
    fake.failNext('reactions.add', 'not_in_channel');
    await expect(app.client.reactions.add({ channel: 'C0FAKECHAN', timestamp: '1.000001', name: 'hourglass' })).rejects.toMatchObject({
      data: { ok: false, error: 'not_in_channel' },
    });
    expect(fake.callsTo('reactions.add')).toHaveLength(1);
  });

  it('re-delivers an event with retry_attempt=1 and the app sees it again (dedup is the bot’s job)', async () => {
    const body = fake.payloads.appMention({ text: 'print(4)' });
    const first = fake.sendEvent(body);
    await fake.waitForAck(first.envelope_id);
    await fake.waitForCall('chat.postMessage', (c) => argText(c) === 'done #1');
    const again = fake.socket.redeliver(first, 1, 'timeout');
    expect(again.envelope_id).not.toBe(first.envelope_id);
    await fake.waitForAck(again.envelope_id);
    await fake.waitForCall('chat.postMessage', (c) => argText(c) === 'done #2');
    expect(mentions).toEqual([
      { eventId: body.event_id, retryNum: 0 },
      { eventId: body.event_id, retryNum: 1 },
    ]);
  });

  it('a disconnect frame makes the client reconnect (after socket-mode’s ~5 s back-off)', async () => {
    fake.socket.requestDisconnect();
    await fake.socket.waitForConnection(2, 10_000);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
    const envelope = fake.sendEvent(fake.payloads.appMention({ text: 'after reconnect' }));
    await fake.waitForAck(envelope.envelope_id);
  }, 15_000);

  it('rejects wrong tokens like Slack does', async () => {
    const stranger = new webApi.WebClient('xoxb-wrong', { slackApiUrl: fake.apiUrl, logger: quietLogger() });
    await expect(stranger.auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    const appTokenClient = new webApi.WebClient(fake.team.appToken, { slackApiUrl: fake.apiUrl, logger: quietLogger() });
    await expect(appTokenClient.chat.postMessage({ channel: 'C1', text: 'x' })).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
  });
});

describe('fake Slack + real Bolt App in HTTP mode', () => {
  const signingSecret = 'fake-signing-secret';
  let fake: FakeSlack;
  let app: App;
  let url: string;
  let retryNums: (number | undefined)[];

  beforeEach(async () => {
    fake = await startFakeSlack();
    retryNums = [];
    app = new App({
      token: fake.team.botToken,
      signingSecret,
      clientOptions: { slackApiUrl: fake.apiUrl },
      logger: quietLogger(),
    });
    app.command('/run', async ({ command, ack }) => {
      await ack({ response_type: 'ephemeral', text: `queued ${command.text}` });
    });
    app.event('app_mention', async ({ event, context, say }) => {
      retryNums.push(context.retryNum);
      await say({ text: `http: ${event.text}`, thread_ts: event.ts });
    });
    app.shortcut('run_code', async ({ ack }) => {
      await ack();
    });
    // HTTPReceiver.start() passes an object straight to server.listen(): bind 127.0.0.1 on a free port.
    const server: Server = await app.start({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterEach(async () => {
    await app.stop();
    await fake.close();
  });

  it('accepts a correctly signed slash command and returns the ack body', async () => {
    const res = await postCommand(url, fake.payloads.slashCommand({ text: 'print(5)' }), { signingSecret });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_type: 'ephemeral', text: 'queued print(5)' });
  });

  it('accepts a correctly signed event, with retry headers reaching context.retryNum', async () => {
    const body = fake.payloads.appMention({ text: 'print(6)' });
    const res = await postEvent(url, body, { signingSecret, retryNum: 1, retryReason: 'http_timeout' });
    expect(res.status).toBe(200);
    const said = await fake.waitForCall('chat.postMessage');
    expect(said.args).toMatchObject({ thread_ts: body.event.ts, text: `http: <@${fake.team.botUserId}> print(6)` });
    expect(retryNums).toEqual([1]);
  });

  it('answers url_verification and interactivity', async () => {
    const challenge = fake.payloads.urlVerification('abc123');
    const res = await postEvent(url, challenge, { signingSecret });
    expect(res).toMatchObject({ status: 200, json: { challenge: 'abc123' } });
    const shortcut = await postInteractive(url, fake.payloads.messageShortcut({ callbackId: 'run_code', text: 'x' }), { signingSecret });
    expect(shortcut.status).toBe(200);
  });

  it('rejects a badly signed request with 401', async () => {
    const res = await postCommand(url, fake.payloads.slashCommand({ text: 'print(7)' }), { signingSecret, badSignature: true });
    expect(res.status).toBe(401);
    const stale = await postEvent(url, fake.payloads.appMention({ text: 'x' }), { signingSecret, timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
  });
});

describe('fake Slack Web API (plain WebClient)', () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;

  beforeEach(async () => {
    fake = await startFakeSlack();
    // rapidRetryPolicy: retries without back-off, so fault tests stay fast.
    client = new webApi.WebClient(fake.team.botToken, {
      slackApiUrl: fake.apiUrl,
      logger: quietLogger(),
      retryConfig: webApi.retryPolicies.rapidRetryPolicy,
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('fetches a message text by ts through history and replies', async () => {
    const user = fake.store.add('C0FAKECHAN', { user: fake.team.userId, text: 'print("hi")' });
    fake.store.add('C0FAKECHAN', { user: fake.team.userId, text: 'later' });
    const reply = await client.chat.postMessage({ channel: 'C0FAKECHAN', thread_ts: user.ts, text: 'hi' });

    const history = await client.conversations.history({ channel: 'C0FAKECHAN', latest: user.ts, inclusive: true, limit: 1 });
    expect(history.messages?.map((m) => m.text)).toEqual(['print("hi")']);
    const replies = await client.conversations.replies({ channel: 'C0FAKECHAN', ts: user.ts });
    expect(replies.messages?.map((m) => m.ts)).toEqual([user.ts, reply.ts]);
    const info = await client.conversations.info({ channel: 'D0FAKEDM' });
    expect(info.channel).toMatchObject({ id: 'D0FAKEDM', is_im: true });
  });

  it('updates, deletes, reacts and posts ephemerals', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0FAKECHAN', text: '⏳ running' });
    const ts = posted.ts ?? '';
    await client.chat.update({ channel: 'C0FAKECHAN', ts, text: '✅ done' });
    expect(fake.store.find('C0FAKECHAN', ts)).toMatchObject({ text: '✅ done', edited: { user: fake.team.botUserId } });
    await client.reactions.add({ channel: 'C0FAKECHAN', timestamp: '1.000001', name: 'white_check_mark' });
    await expect(client.reactions.add({ channel: 'C0FAKECHAN', timestamp: '1.000001', name: 'white_check_mark' })).rejects.toMatchObject({
      data: { error: 'already_reacted' },
    });
    await client.reactions.remove({ channel: 'C0FAKECHAN', timestamp: '1.000001', name: 'white_check_mark' });
    expect(fake.store.reactions.get('C0FAKECHAN/1.000001')).toEqual([]);
    await client.chat.postEphemeral({ channel: 'C0FAKECHAN', user: fake.team.userId, text: 'only you' });
    expect(fake.store.ephemerals).toMatchObject([{ user: fake.team.userId, text: 'only you' }]);
    await client.chat.delete({ channel: 'C0FAKECHAN', ts });
    expect(fake.store.find('C0FAKECHAN', ts)).toBeUndefined();
    await expect(client.chat.delete({ channel: 'C0FAKECHAN', ts })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
  });

  it('retries a 5xx, and a 429 with Retry-After 0 needs no wait', async () => {
    fake.serverErrorNext('chat.postMessage', 503);
    fake.rateLimitNext('chat.postMessage', 1, 0);
    await client.chat.postMessage({ channel: 'C0FAKECHAN', text: 'x' });
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([503, 429, 200]);
  });

  it('serves a file a user shared from its private links, only with the bot token, recording each GET', async () => {
    const dm = fake.payloads.dmMessage({ text: 'see attached', files: [{ name: 'data.csv', content: 'n\n1\n2\n' }] });
    expect(dm.event).toMatchObject({ subtype: 'file_share', channel_type: 'im' });
    const [shared] = dm.event.files as { id: string; url_private: string; url_private_download: string }[];
    expect(shared).toMatchObject({ name: 'data.csv', size: 6, mimetype: 'text/csv' });
    expect(fake.store.files.get(shared?.id ?? '')?.data?.toString()).toBe('n\n1\n2\n');

    const get = (url: string, token?: string) => fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
    for (const url of [shared?.url_private ?? '', shared?.url_private_download ?? '']) {
      expect(url.startsWith(`${fake.baseUrl}/files-pri/`)).toBe(true);
      const res = await get(url, fake.team.botToken);
      expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([200, 'text/csv', 'n\n1\n2\n']);
    }
    const anonymous = await get(shared?.url_private ?? '');
    expect([anonymous.status, anonymous.headers.get('content-type')]).toEqual([401, 'text/html; charset=utf-8']);
    expect(await anonymous.text()).not.toContain('n,1');
    expect((await get(shared?.url_private ?? '', fake.team.appToken)).status).toBe(403);
    expect((await get(`${fake.baseUrl}/files-pri/${fake.team.teamId}-F0NOSUCHFILE/x.csv`, fake.team.botToken)).status).toBe(404);
    const { botToken, appToken } = fake.team;
    expect(fake.callsTo('url_private').map((c) => [c.status, c.token, c.args.download])).toEqual([
      [200, botToken, false],
      [200, botToken, true],
      [401, undefined, false],
      [403, appToken, false],
      [404, botToken, false],
    ]);

    // A message seeded in the store shows its files, links included, wherever the API shows it.
    const file = fake.shareFile({ name: 'notes.txt', content: 'hi' });
    fake.store.add('C0FAKECHAN', { user: fake.team.userId, text: 'with a file', files: [file] });
    const history = await client.conversations.history({ channel: 'C0FAKECHAN' });
    expect(history.messages?.[0]?.files).toEqual([expect.objectContaining({ id: file.id, name: 'notes.txt', size: 2, url_private_download: file.url_private_download })]);
  });

  it('accepts JSON bodies with a bearer token, as Slack does', async () => {
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${fake.team.botToken}` },
      body: JSON.stringify({ channel: 'C0FAKECHAN', text: 'json', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'json' } }] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: 'C0FAKECHAN' });
    const call = await fake.waitForCall('chat.postMessage');
    expect(call.args.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'json' } }]);
  });
});
