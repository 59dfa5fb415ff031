import { invalidFormBody, discordError } from './errors.js';
import { ok, route, type Reply, type Route, type RouteContext } from './router.js';
import { snowflake } from './snowflake.js';
import type { Json } from './types.js';

/** Login-time and application routes: gateway discovery, users, the application, its commands. */

function gatewayBot(ctx: RouteContext): Reply {
  return ok({
    url: ctx.gateway.url,
    shards: 1,
    session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
  });
}

function application(ctx: RouteContext): Reply {
  const { bot, applicationId, guilds, privileged } = ctx.state.config;
  return ok({
    id: applicationId,
    name: bot.username,
    icon: null,
    description: '',
    summary: '',
    type: null,
    bot: { ...bot },
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: privileged.messageContent ? 1 << 19 : 0,
    owner: { id: snowflake(), username: 'owner', global_name: null, discriminator: '0', avatar: null, public_flags: 0 },
    team: null,
    approximate_guild_count: guilds.length,
    interactions_endpoint_url: null,
    redirect_uris: [],
    tags: [],
  });
}

/** Validate one command the way Discord does for the fields bots commonly get wrong. */
function commandError(cmd: Json, index: number): Reply | undefined {
  const type = typeof cmd.type === 'number' ? cmd.type : 1;
  const name = cmd.name;
  if (typeof name !== 'string' || name.length < 1 || name.length > 32) {
    return invalidFormBody(`${index}.name`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
  }
  if (type === 1 && (name !== name.toLowerCase() || /\s/.test(name))) {
    return invalidFormBody(`${index}.name`, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
  const desc = cmd.description;
  if (type === 1 && (typeof desc !== 'string' || desc.length < 1 || desc.length > 100)) {
    return invalidFormBody(`${index}.description`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  return optionsError(Array.isArray(cmd.options) ? (cmd.options as Json[]) : [], index);
}

/** A chat-input command's options (1 subcommand … 11 attachment), as Discord checks them at registration. */
function optionsError(options: Json[], index: number): Reply | undefined {
  if (options.length > 25) return invalidFormBody(`${index}.options`, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  const names = new Set<string>();
  let optionalSeen = false;
  for (const [o, option] of options.entries()) {
    const field = `${index}.options.${o}`;
    const { name, description, type, required, choices } = option;
    if (typeof name !== 'string' || !/^[-_\p{Ll}\p{N}]{1,32}$/u.test(name) || names.has(name)) {
      return invalidFormBody(`${field}.name`, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    names.add(name);
    if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
      return invalidFormBody(`${field}.description`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    if (typeof type !== 'number' || !Number.isInteger(type) || type < 1 || type > 11) {
      return invalidFormBody(`${field}.type`, 'BASE_TYPE_CHOICES', 'Value must be one of (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11).');
    }
    if (required === true && optionalSeen) {
      return invalidFormBody(`${index}.options`, 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    optionalSeen ||= required !== true;
    if (choices !== undefined && (![3, 4, 10].includes(type) || !Array.isArray(choices) || choices.length > 25)) {
      return invalidFormBody(`${field}.choices`, 'BASE_TYPE_MAX_LENGTH', 'Only string, integer and number options take up to 25 choices.');
    }
  }
  return undefined;
}

/** PUT replaces the whole set; commands keep their id when name and type are unchanged. */
function overwriteCommands(ctx: RouteContext, p: Record<string, string>): Reply {
  if (p.app !== ctx.state.config.applicationId) return discordError(50001);
  const body = ctx.req.body;
  if (!Array.isArray(body)) return invalidFormBody('_', 'BASE_TYPE_ARRAY', 'Must be an array.');
  const key = p.gid ?? 'global';
  const before = ctx.state.commands.get(key) ?? [];
  const commands: Json[] = [];
  for (const [i, raw] of (body as Json[]).entries()) {
    const invalid = commandError(raw, i);
    if (invalid) return invalid;
    const type = typeof raw.type === 'number' ? raw.type : 1;
    const old = before.find((c) => c.name === raw.name && c.type === type);
    commands.push({
      description: '',
      options: [],
      default_member_permissions: null,
      nsfw: false,
      ...raw,
      id: old?.id ?? snowflake(),
      application_id: ctx.state.config.applicationId,
      type,
      version: snowflake(),
      ...(p.gid !== undefined && { guild_id: p.gid }),
    });
  }
  ctx.state.commands.set(key, commands);
  return ok(commands);
}

function listCommands(ctx: RouteContext, p: Record<string, string>): Reply {
  return ok(ctx.state.commands.get(p.gid ?? 'global') ?? []);
}

function getUser(ctx: RouteContext, p: Record<string, string>): Reply {
  const user = ctx.state.users.get(p.uid ?? '');
  return user ? ok({ ...user }) : discordError(10013);
}

export const appRoutes: Route[] = [
  route('GET', '/gateway/bot', gatewayBot),
  route('GET', '/gateway', (ctx) => ok({ url: ctx.gateway.url }), false),
  route('GET', '/users/@me', (ctx) => ok({ ...ctx.state.bot, verified: true, mfa_enabled: false, flags: 0 })),
  route('GET', '/users/:uid', getUser),
  route('GET', '/applications/@me', application),
  route('GET', '/oauth2/applications/@me', application),
  route('GET', '/applications/:app/commands', listCommands),
  route('PUT', '/applications/:app/commands', overwriteCommands),
  route('GET', '/applications/:app/guilds/:gid/commands', listCommands),
  route('PUT', '/applications/:app/guilds/:gid/commands', overwriteCommands),
];
