import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  ModalBuilder,
  Partials,
  PermissionFlagsBits,
  TextInputBuilder,
  TextInputStyle,
  type ClientEvents,
  type Interaction,
  type Message,
  type TextChannel,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BOT_PERMISSIONS, Perm, startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './discord/server.js';

/** The real discord.js Client against the fake: proves the fake speaks enough Discord. */

const ALL_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.GuildMessageReactions,
  GatewayIntentBits.DirectMessageReactions,
];

let fake: FakeDiscord | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = undefined;
  fake = undefined;
});

function makeClient(f: FakeDiscord, intents = ALL_INTENTS): Client {
  return new Client({
    intents,
    partials: [Partials.Channel, Partials.Message, Partials.Reaction],
    rest: { api: f.apiUrl },
    allowedMentions: { parse: [], repliedUser: false },
  });
}

/** Resolve with the next `event` whose arguments pass `filter`; reject after `timeoutMs`. */
function nextEvent<K extends keyof ClientEvents>(
  c: Client,
  event: K,
  filter: (...args: ClientEvents[K]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<ClientEvents[K]> {
  return new Promise((resolve, reject) => {
    const onEvent = (...args: ClientEvents[K]): void => {
      if (!filter(...args)) return;
      clearTimeout(timer);
      c.off(event, onEvent);
      resolve(args);
    };
    const timer = setTimeout(() => {
      c.off(event, onEvent);
      reject(new Error(`timed out waiting for ${String(event)}`));
    }, timeoutMs);
    c.on(event, onEvent);
  });
}

async function connect(opts: FakeDiscordOptions = {}, intents = ALL_INTENTS): Promise<{ f: FakeDiscord; c: Client }> {
  const f = await startFakeDiscord(opts);
  fake = f;
  const c = makeClient(f, intents);
  client = c;
  const ready = nextEvent(c, Events.ClientReady);
  await c.login('fake-token');
  await ready;
  return { f, c };
}

/** The next interaction of a kind, as discord.js parsed it. */
function nextInteraction(c: Client): Promise<Interaction> {
  return nextEvent(c, Events.InteractionCreate).then(([i]) => i);
}

/** Messages from users only: the fake echoes the bot's own messages back, like Discord. */
function nextUserMessage(c: Client): Promise<Message> {
  return nextEvent(c, Events.MessageCreate, (m) => !m.author.bot).then(([m]) => m);
}

describe('fake discord with the real discord.js client', () => {
  it('logs in over REST + gateway and caches the guild, channel and the bot member', async () => {
    const { f, c } = await connect();
    expect(c.user?.id).toBe(f.bot.id);
    expect(c.application?.id).toBe(f.applicationId);
    const channel = c.channels.cache.get(f.channelId) as TextChannel;
    expect(channel.type).toBe(ChannelType.GuildText);
    const me = channel.guild.members.me;
    expect(me).toBeTruthy();
    expect(channel.permissionsFor(me!).has(PermissionFlagsBits.SendMessages)).toBe(true);
    expect(channel.permissionsFor(me!).has(PermissionFlagsBits.ManageMessages)).toBe(false);
    const session = await f.gateway.waitForSession();
    expect(session.intents & (1 << 15)).not.toBe(0);
    expect(f.gateway.connections[0]).toMatchObject({ v: '10', encoding: 'json' });
    expect(f.gateway.connections[0]?.compress).toBeUndefined();
    expect(f.requests[0]).toMatchObject({ method: 'GET', path: '/gateway/bot', auth: 'Bot fake-token' });
  });

  it('delivers MESSAGE_CREATE and receives a reply with message_reference and no mentions', async () => {
    const { f, c } = await connect();
    const got = nextUserMessage(c);
    const sent = f.sendMessage({ content: 'hello <@' + f.bot.id + '>' });
    const message = await got;
    expect(message.content).toBe(sent.content);
    expect(message.author.id).toBe(f.user.id);
    expect(message.mentions.users.has(f.bot.id)).toBe(true);

    const reply = await message.reply('hi');
    const req = await f.waitForRequest({ method: 'POST', path: `/channels/${f.channelId}/messages` });
    expect(req.body.content).toBe('hi');
    expect(req.body.message_reference.message_id).toBe(sent.id);
    expect(req.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(reply.reference?.messageId).toBe(sent.id);
    expect(reply.author.id).toBe(f.bot.id);
    expect(f.state.messages.get(reply.id)?.mentions).toEqual([]); // nobody pinged
  });

  it('receives attachment replies as multipart with the file contents', async () => {
    const { f, c } = await connect();
    const got = nextUserMessage(c);
    f.sendMessage({ content: 'run this' });
    const message = await got;
    const reply = await message.reply({ content: 'output attached', files: [{ attachment: Buffer.from('line 1\nline 2\n'), name: 'output.txt' }] });
    const req = await f.waitForRequest((r) => r.method === 'POST' && r.files.length > 0);
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(req.body.content).toBe('output attached');
    expect(req.files[0]).toMatchObject({ field: 'files[0]', name: 'output.txt' });
    expect(req.files[0]?.text()).toBe('line 1\nline 2\n');
    const attachment = reply.attachments.first();
    expect(attachment?.name).toBe('output.txt');
    expect(attachment?.size).toBe(14);
    // The attachment URL serves the bytes, so bots can download user uploads the same way.
    expect(await (await fetch(attachment!.url)).text()).toBe('line 1\nline 2\n');
  });

  it('gives user attachments a URL the bot can download', async () => {
    const { f, c } = await connect();
    const got = nextUserMessage(c);
    f.sendMessage({ content: '', attachments: [{ name: 'snippet.py', content: 'print(42)\n' }] });
    const message = await got;
    const file = message.attachments.first();
    expect(file?.name).toBe('snippet.py');
    expect(await (await fetch(file!.url)).text()).toBe('print(42)\n');
  });

  it('handles DMs (partial channel) and replies into the DM channel', async () => {
    const { f, c } = await connect();
    const got = nextUserMessage(c);
    f.sendDm({ content: 'print("dm")' });
    const message = await got;
    expect(message.channel.type).toBe(ChannelType.DM);
    expect(message.content).toBe('print("dm")');
    await message.reply('ok');
    const req = await f.waitForRequest({ method: 'POST', path: `/channels/${message.channelId}/messages` });
    expect(req.status).toBe(200);
    // createDM goes to the same channel as the user's DMs.
    const dm = await c.users.createDM(f.user.id);
    expect(dm.id).toBe(message.channelId);
  });

  it('answers a slash command: deferReply hits the callback, editReply the webhook', async () => {
    const { f, c } = await connect();
    const got = nextInteraction(c);
    const sent = f.slashCommand({ name: 'run', options: { code: 'print(1)' } });
    const interaction = await got;
    if (!interaction.isChatInputCommand()) throw new Error(`wrong class: ${interaction.constructor.name}`);
    expect(interaction.commandName).toBe('run');
    expect(interaction.options.getString('code')).toBe('print(1)');
    expect(interaction.inGuild()).toBe(true);

    await interaction.deferReply();
    const cb = await sent.waitForCallback();
    expect(cb.status).toBe(204);
    expect(cb.auth).toBeUndefined(); // interaction routes carry no bot token
    expect(cb.body.type).toBe(5);

    const edited = await interaction.editReply('1');
    const req = await f.waitForRequest({ method: 'PATCH', path: `/webhooks/${f.applicationId}/${sent.token}/messages/@original` });
    expect(req.body.content).toBe('1');
    expect(edited.content).toBe('1');
    expect(f.state.messages.get(sent.record.originalMessageId!)?.flags).toBe(0); // no longer "thinking"

    const follow = await interaction.followUp('more');
    expect(follow.content).toBe('more');
    expect(f.requestsMatching({ method: 'POST', path: `/webhooks/${f.applicationId}/${sent.token}` })).toHaveLength(1);
  });

  it('resolves an attachment option to a file the bot can download', async () => {
    const { f, c } = await connect();
    const got = nextInteraction(c);
    const sent = f.slashCommand({ name: 'run', options: { code: 'print(1)', file: { name: 'data.csv', content: 'a,b\n1,2\n' } } });
    const interaction = await got;
    if (!interaction.isChatInputCommand()) throw new Error(`wrong class: ${interaction.constructor.name}`);
    const option = (sent.payload.data as { options: Array<{ name: string; type: number; value: string }> }).options[1];
    expect(option).toMatchObject({ name: 'file', type: 11 });
    const file = interaction.options.getAttachment('file');
    expect(file).toMatchObject({ id: option?.value, name: 'data.csv', size: 8, ephemeral: true });
    expect(await (await fetch(file!.url)).text()).toBe('a,b\n1,2\n');
  });

  it('parses a command without options, and rejects a second acknowledgement', async () => {
    const { f, c } = await connect();
    const got = nextInteraction(c);
    f.slashCommand({ name: 'help', dm: true });
    const interaction = await got;
    if (!interaction.isChatInputCommand()) throw new Error('not a chat input command');
    expect(interaction.options.data).toEqual([]);
    expect(interaction.inGuild()).toBe(false);
    await interaction.reply({ content: 'usage', flags: 64 });
    // discord.js guards itself; go around it to see the fake's answer to a double ack.
    const again = c.rest.post(`/interactions/${interaction.id}/${interaction.token}/callback`, { body: { type: 4, data: { content: 'x' } }, auth: false });
    await expect(again).rejects.toMatchObject({ code: 40060 });
  });

  it('answers with_response callbacks with the interaction callback resource', async () => {
    const { f, c } = await connect();
    const got = nextInteraction(c);
    f.slashCommand({ name: 'run', options: { code: '1+1' } });
    const interaction = await got;
    if (!interaction.isChatInputCommand()) throw new Error('not a chat input command');
    const response = await interaction.reply({ content: '2', withResponse: true });
    expect(response.interaction.id).toBe(interaction.id);
    expect(response.resource?.message?.content).toBe('2');
    expect(f.state.messages.get(response.resource!.message!.id)?.interaction_metadata).toMatchObject({ id: interaction.id, name: 'run' });
  });

  it('parses message context-menu, button and modal-submit interactions as their classes', async () => {
    const { f, c } = await connect();
    const target = f.sendMessage({ content: 'print("ctx")' });
    await nextUserMessage(c);

    let got = nextInteraction(c);
    f.messageCommand({ name: 'Run code', target });
    const ctxMenu = await got;
    if (!ctxMenu.isMessageContextMenuCommand()) throw new Error(`wrong class: ${ctxMenu.constructor.name}`);
    expect(ctxMenu.targetMessage.content).toBe('print("ctx")');

    // The bot answers with a message holding a button, then a user clicks it.
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('rerun').setLabel('Run again').setStyle(ButtonStyle.Secondary));
    await ctxMenu.reply({ content: 'ctx', components: [row] });
    const botMessage = await f.waitForBotMessage((m) => m.components.length > 0);
    got = nextInteraction(c);
    const click = f.buttonClick({ customId: 'rerun', message: botMessage });
    const button = await got;
    if (!button.isButton()) throw new Error(`wrong class: ${button.constructor.name}`);
    expect(button.customId).toBe('rerun');
    expect(button.message.id).toBe(botMessage.id);

    // The button opens a modal; the user submits it.
    const modal = new ModalBuilder()
      .setCustomId('edit-code')
      .setTitle('Edit code')
      .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(new TextInputBuilder().setCustomId('code').setLabel('Code').setStyle(TextInputStyle.Paragraph)));
    await button.showModal(modal);
    expect((await click.waitForCallback()).body.type).toBe(9);
    expect(click.record.modal?.custom_id).toBe('edit-code');
    got = nextInteraction(c);
    f.modalSubmit({ from: click, fields: { code: 'print(2)' } });
    const submit = await got;
    if (!submit.isModalSubmit()) throw new Error(`wrong class: ${submit.constructor.name}`);
    expect(submit.customId).toBe('edit-code');
    expect(submit.fields.getTextInputValue('code')).toBe('print(2)');
    expect(submit.isFromMessage()).toBe(true);
    await submit.deferUpdate();
    await submit.editReply({ content: 'updated', components: [] });
    expect(f.state.messages.get(botMessage.id)?.content).toBe('updated');
  });

  it('delivers a reaction on an uncached message thanks to partials', async () => {
    const { f, c } = await connect();
    const old = f.seedMessage({ content: 'from before the bot started' });
    const got = nextEvent(c, Events.MessageReactionAdd);
    f.addReaction({ message: old, emoji: '🔁' });
    const [reaction, user] = await got;
    expect(reaction.message.partial).toBe(true);
    expect(reaction.emoji.name).toBe('🔁');
    expect(user.id).toBe(f.user.id);
    const full = await reaction.message.fetch();
    expect(full.content).toBe('from before the bot started');
    await full.react('✅');
    expect(f.state.messages.get(old.id)?.reactions.map((r) => r.emoji.name)).toEqual(['🔁', '✅']);
  });

  it('delivers edits, deletes and reaction removals, in guilds and DMs', async () => {
    const { f, c } = await connect();
    const original = f.sendMessage({ content: 'print(1)' });
    await nextUserMessage(c);
    const updated = nextEvent(c, Events.MessageUpdate);
    f.editMessage(original, { content: 'print(2)' });
    const [, after] = await updated;
    expect(after.content).toBe('print(2)');
    expect(after.editedTimestamp).not.toBeNull();

    const dm = f.sendDm({ content: 'hi' });
    await nextUserMessage(c);
    const added = nextEvent(c, Events.MessageReactionAdd);
    f.addReaction({ message: dm, emoji: '👍' });
    expect((await added)[0].message.channel.type).toBe(ChannelType.DM);
    const removed = nextEvent(c, Events.MessageReactionRemove);
    f.removeReaction({ message: dm, emoji: '👍' });
    expect((await removed)[0].emoji.name).toBe('👍');

    const deleted = nextEvent(c, Events.MessageDelete);
    f.deleteMessage(original);
    expect((await deleted)[0].id).toBe(original.id);
  });

  it('retries 5xx answers (discord.js retries up to 3 times)', async () => {
    const { f, c } = await connect();
    f.failNext({ method: 'POST' }, { kind: 'status', status: 502 }, 2);
    const channel = c.channels.cache.get(f.channelId) as TextChannel;
    await channel.send('eventually');
    expect(f.requestsMatching({ method: 'POST' }).map((r) => r.status)).toEqual([502, 502, 200]);
  });

  it('acknowledges heartbeats', async () => {
    const { f, c } = await connect({ heartbeatIntervalMs: 50 });
    await f.waitFor(() => (f.gateway.received.filter((fr) => fr.op === 1).length >= 2 ? true : undefined));
    await f.waitFor(() => (c.ws.ping >= 0 ? true : undefined));
  });

  it('retries after an injected 429 and then succeeds', async () => {
    const { f, c } = await connect();
    const path = `/channels/${f.channelId}/messages`;
    f.failNext({ method: 'POST', path }, { kind: 'ratelimit', retryAfter: 0.2 });
    const started = Date.now();
    const channel = c.channels.cache.get(f.channelId) as TextChannel;
    const sent = await channel.send('after the limit');
    expect(sent.content).toBe('after the limit');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    const statuses = f.requestsMatching({ method: 'POST', path }).map((r) => r.status);
    expect(statuses).toEqual([429, 200]);
    expect(f.requests.find((r) => r.status === 429)?.response).toMatchObject({ retry_after: 0.2, global: false });
  });

  it('holds a request unanswered under a hang fault, until the fake closes', async () => {
    const { f, c } = await connect();
    f.failNext({ method: 'POST' }, { kind: 'hang' });
    const channel = c.channels.cache.get(f.channelId) as TextChannel;
    const sending = channel.send('unanswered');
    expect((await f.waitForRequest({ method: 'POST' })).status).toBe(0);
    expect(f.state.messages.size).toBe(0);
    await f.close();
    await expect(sending).rejects.toThrow();
  });

  it('rejects the buttons Discord would: six in a row, or two with one custom_id', async () => {
    const { f, c } = await connect();
    const channel = c.channels.cache.get(f.channelId) as TextChannel;
    const row = (...ids: string[]) =>
      new ActionRowBuilder<ButtonBuilder>().addComponents(ids.map((id) => new ButtonBuilder().setCustomId(id).setLabel(id).setStyle(ButtonStyle.Secondary)));
    await expect(channel.send({ content: 'x', components: [row('a', 'b', 'c', 'd', 'e', 'f')] })).rejects.toMatchObject({ code: 50035 });
    await expect(channel.send({ content: 'x', components: [row('a'), row('a')] })).rejects.toMatchObject({ code: 50035 });
    expect((await channel.send({ content: 'x', components: [row('a', 'b', 'c', 'd', 'e'), row('f')] })).components).toHaveLength(2);
    expect(f.state.messages.size).toBe(1);
  });

  it('surfaces injected 403s and missing permissions as DiscordAPIError codes', async () => {
    const { f, c } = await connect();
    const channel = c.channels.cache.get(f.channelId) as TextChannel;
    f.failNext({ method: 'POST' }, { kind: 'code', code: 50001 });
    await expect(channel.send('x')).rejects.toMatchObject({ code: 50001, status: 403 });

    f.setBotPermissions(DEFAULT_BOT_PERMISSIONS & ~Perm.SendMessages, { channelId: f.channelId });
    await f.waitFor(() => (channel.permissionsFor(c.user!)?.has(PermissionFlagsBits.SendMessages) === false ? true : undefined));
    const err = await channel.send('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscordAPIError);
    expect((err as DiscordAPIError).code).toBe(50013);
  });

  it('rejects late interaction acknowledgements with Unknown interaction', async () => {
    const { f, c } = await connect({ interactionAckDeadlineMs: 50 });
    const got = nextInteraction(c);
    f.slashCommand({ name: 'run', options: { code: 'x' } });
    const interaction = await got;
    await new Promise((r) => setTimeout(r, 120));
    if (!interaction.isRepliable()) throw new Error('not repliable');
    await expect(interaction.deferReply()).rejects.toMatchObject({ code: 10062 });
  });

  it('strips guild message content when MessageContent is not requested, unless the bot is mentioned', async () => {
    const { f, c } = await connect({}, ALL_INTENTS.filter((i) => i !== GatewayIntentBits.MessageContent));
    let got = nextUserMessage(c);
    f.sendMessage({ content: 'secret', attachments: [{ name: 'a.txt', content: 'a' }] });
    let message = await got;
    expect(message.content).toBe('');
    expect(message.attachments.size).toBe(0);
    got = nextUserMessage(c);
    f.sendMessage({ content: 'visible', mentionBot: true });
    message = await got;
    expect(message.content).toBe(`<@${f.bot.id}> visible`);
  });

  it('resumes after a dropped connection and replays missed events', async () => {
    const { f, c } = await connect();
    const resumed = nextEvent(c, Events.ShardResume);
    const replayed = nextEvent(c, Events.MessageCreate, (m) => m.content === 'sent while disconnected');
    f.gateway.disconnect(4000);
    f.sendMessage({ content: 'sent while disconnected' }); // buffered, replayed on RESUME
    await Promise.all([resumed, replayed]);
    expect(f.gateway.received.some((fr) => fr.op === 6)).toBe(true);
    expect(f.gateway.received.filter((fr) => fr.op === 2)).toHaveLength(1); // resumed, not re-identified
  });

  it('closes with 4014 when MessageContent is asked for but not granted, and login rejects', async () => {
    const f = await startFakeDiscord({ privilegedIntents: { messageContent: false } });
    fake = f;
    const c = makeClient(f);
    client = c;
    const started = Date.now();
    await expect(c.login('fake-token')).rejects.toThrow(/disallowed intents/i);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('rejects a wrong token when one is configured', async () => {
    const f = await startFakeDiscord({ token: 'right-token' });
    fake = f;
    const c = makeClient(f);
    client = c;
    await expect(c.login('wrong-token')).rejects.toThrow(/token/i);
    expect(f.requests[0]).toMatchObject({ path: '/gateway/bot', status: 401 });
  });

  it('registers application commands with a bulk overwrite', async () => {
    const { f, c } = await connect();
    const commands = await c.application!.commands.set([{ name: 'run', description: 'Run Python code', options: [{ name: 'code', description: 'code', type: 3, required: true }] }]);
    expect(commands.first()?.name).toBe('run');
    const guildCommands = await c.application!.commands.set([{ name: 'help', description: 'Help' }], f.guild.id);
    expect(guildCommands.first()?.guildId).toBe(f.guild.id);
    expect(f.requestsMatching({ method: 'PUT' }).map((r) => r.path)).toEqual([
      `/applications/${f.applicationId}/commands`,
      `/applications/${f.applicationId}/guilds/${f.guild.id}/commands`,
    ]);
  });

  it('rejects command options Discord would: a bad name or description, a required one after an optional one', async () => {
    const { c } = await connect();
    const run = (options: Array<{ name: string; description: string; type: number; required?: boolean }>) =>
      c.application!.commands.set([{ name: 'run', description: 'Run Python code', options }]);
    const code = { name: 'code', description: 'code', type: 3 };
    await expect(run([code, { name: 'file', description: 'x'.repeat(101), type: 11 }])).rejects.toMatchObject({ code: 50035 });
    await expect(run([{ ...code, name: 'Code' }])).rejects.toMatchObject({ code: 50035 });
    await expect(run([code, { name: 'file', description: 'a file', type: 11, required: true }])).rejects.toMatchObject({ code: 50035 });
    await expect(run([code, { name: 'file', description: 'a file', type: 11 }])).resolves.toBeDefined();
  });
});
