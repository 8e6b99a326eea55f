import {
  ApplicationCommandOptionType,
  ComponentType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  RESTJSONErrorCodes,
  type APIApplicationCommand,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIButtonComponent,
  type APIInteraction,
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  type APIModalSubmission,
  type APIStringSelectComponent,
  type APIUser,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from './fake/gateway';
import {
  buttonInteraction,
  directMessageCreate,
  messagePayload,
  modalSubmitInteraction,
  selectInteraction,
  slashCommandInteraction,
  userPayload,
  type MessageContent,
  type Place,
} from './fake/payloads';
import { snowflake } from './fake/snowflake';
import { messageBodyProblems, modalProblems } from './fake/validation';

/** One HTTP request the bot made, as Discord received it (path segments decoded). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: unknown;
  status: number;
}

/** Something the bot did that Discord refuses or that breaks the protocol. */
export interface Violation {
  method: string;
  path: string;
  status: number;
  problems: string[];
}

export interface StoredMessage {
  message: APIMessage;
  /** For an ephemeral message: the only person who sees it. */
  visibleTo?: string;
  /** Every edit, and which credential made it (the bot token, or an interaction webhook). */
  edits: { via: 'bot' | 'interaction'; body: Record<string, unknown> }[];
  deleted: boolean;
}

/** An interaction Discord sent to the bot, and how the bot answered it. */
export interface FakeInteraction {
  payload: APIInteraction;
  id: string;
  token: string;
  user: APIUser;
  place: Place;
  /** The message the component was on (components and modals opened from them). */
  sourceMessageId?: string;
  /** Interaction callbacks, in order (type 4 reply, 5 deferReply, 6 deferUpdate, 7 update, 9 modal). */
  responses: { type: InteractionResponseType; data?: unknown }[];
  /** The message `@original` stands for, once there is one. */
  originalMessageId?: string;
  followUpIds: string[];
  modal?: APIModalInteractionResponseCallbackData;
  dispatchedAt: number;
  expired: boolean;
}

export interface FakeDiscordOptions {
  /** Heartbeat interval the gateway asks for (Discord's is about 41 s). */
  heartbeatIntervalMs?: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly problems: string[] = [],
  ) {
    super(String(body.message));
  }
}

const unknown = (what: string, code: number, status = 404) => new HttpError(status, { message: `Unknown ${what}`, code });
const invalidBody = (problems: string[]) => new HttpError(400, { message: 'Invalid Form Body', code: RESTJSONErrorCodes.InvalidFormBodyOrContentType, errors: problems }, problems);
const INTERACTION_DEADLINE_MS = 3_000;

/**
 * Discord on 127.0.0.1 for the real discord.js client: the REST API (`/api/v10/…`) and the
 * gateway websocket, with Discord's checks — the bot token on bot calls and none on
 * interaction callbacks and webhooks, URL-encoded paths, one first answer per interaction
 * within 3 s, interaction tokens that can expire, and Discord's limits on what is posted.
 * Tests play the people: they write DMs, run slash commands, press buttons, pick options
 * and submit modals, and read what each person sees.
 */
export class FakeDiscord {
  readonly applicationId = String(BigInt(snowflake()));
  readonly token = `${Buffer.from(this.applicationId).toString('base64url')}.${Math.random().toString(36).slice(2, 8)}.${Buffer.from(snowflake()).toString('base64url')}`;
  readonly botUser: APIUser = userPayload('Booking Bot', true);
  readonly requests: RecordedRequest[] = [];
  readonly violations: Violation[] = [];
  readonly interactions: FakeInteraction[] = [];
  readonly gateway: FakeGateway;
  /** Registered slash commands: global under '', per server under its id. */
  readonly commands = new Map<string, APIApplicationCommand[]>();

  private readonly users = new Map<string, APIUser>();
  private readonly channels = new Map<string, Place & { recipientId?: string }>();
  private readonly dmChannelByUser = new Map<string, string>();
  private readonly messages = new Map<string, StoredMessage>();
  private readonly refusedOnGateway = new Set<string>();
  private readonly changes = new EventEmitter();
  private port = 0;

  private constructor(
    private readonly server: Server,
    options: FakeDiscordOptions,
  ) {
    this.changes.setMaxListeners(0);
    this.users.set(this.botUser.id, this.botUser);
    this.gateway = new FakeGateway({
      acceptsToken: (token) => token === this.token && !this.refusedOnGateway.has(token),
      botUser: this.botUser,
      applicationId: this.applicationId,
      resumeUrl: 'ws://127.0.0.1:0/gateway',
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      onChange: () => this.changed(),
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => void this.serve(request, response));
    server.on('upgrade', (request: IncomingMessage, socket, head: Buffer) => {
      if (new URL(request.url ?? '/', 'http://localhost').pathname === '/gateway') this.gateway.upgrade(request, socket, head);
      else socket.destroy();
    });
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const server = createServer();
    const fake = new FakeDiscord(server, options);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  /** What `DISCORD_API_URL` is set to: discord.js appends `/v10`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- people and places --------------------------------------------------------------

  addUser(displayName: string): APIUser {
    const user = userPayload(displayName);
    this.users.set(user.id, user);
    return user;
  }

  /** A text channel in a server the bot is installed in. */
  addServerChannel(): Place & { kind: 'guild' } {
    const place = { kind: 'guild' as const, guildId: snowflake(), channelId: snowflake() };
    this.channels.set(place.channelId, place);
    return place;
  }

  /** The DM channel between the user and the bot (Discord keeps one per pair). */
  dmChannelOf(userId: string): string {
    let channelId = this.dmChannelByUser.get(userId);
    if (!channelId) {
      channelId = snowflake();
      this.dmChannelByUser.set(userId, channelId);
      this.channels.set(channelId, { kind: 'dm', channelId, recipientId: userId });
    }
    return channelId;
  }

  /** The token is refused by the gateway (closed with 4004) though REST still takes it, as when it is reset meanwhile. */
  refuseOnGateway(token: string): void {
    this.refusedOnGateway.add(token);
  }

  /** As if 15 minutes had passed: every interaction token so far stops working. */
  expireInteractionTokens(): void {
    for (const interaction of this.interactions) interaction.expired = true;
  }

  // --- what people do -----------------------------------------------------------------

  /** The user writes to the bot in their DM; the gateway delivers MESSAGE_CREATE (DIRECT_MESSAGES intent). */
  sendDirectMessage(user: APIUser, content: string): APIMessage {
    const channelId = this.dmChannelOf(user.id);
    const message = messagePayload(channelId, user, { content, embeds: [], components: [], flags: 0 });
    this.messages.set(message.id, { message, edits: [], deleted: false });
    if (this.gateway.dispatch(GatewayDispatchEvents.MessageCreate, directMessageCreate(message), GatewayIntentBits.DirectMessages) === 0) throw new Error('no gateway session with the DIRECT_MESSAGES intent');
    this.changed();
    return message;
  }

  /** The user runs a registered slash command (in their DM with the bot unless a place is given). */
  runCommand(user: APIUser, name: string, options: Record<string, string | number> = {}, place?: Place): FakeInteraction {
    const where = place ?? { kind: 'dm' as const, channelId: this.dmChannelOf(user.id) };
    const registered = [...(where.kind === 'guild' ? (this.commands.get(where.guildId) ?? []) : []), ...(this.commands.get('') ?? [])].find((c) => c.name === name);
    if (!registered) throw new Error(`/${name} is not registered, so Discord would not offer it`);
    const given: APIApplicationCommandInteractionDataBasicOption[] = [];
    for (const option of (registered.options ?? []) as APIApplicationCommandBasicOption[]) {
      const value = options[option.name];
      if (value === undefined) {
        if (option.required) throw new Error(`/${name} needs ${option.name}`);
        continue;
      }
      if (option.type === ApplicationCommandOptionType.String) given.push({ name: option.name, type: option.type, value: String(value) });
      else if (option.type === ApplicationCommandOptionType.Integer) given.push({ name: option.name, type: option.type, value: Number(value) });
      else throw new Error(`option type ${option.type} is not simulated`);
    }
    for (const key of Object.keys(options)) if (!registered.options?.some((o) => o.name === key)) throw new Error(`/${name} has no option ${key}`);
    return this.dispatchInteraction(slashCommandInteraction(this.applicationId, user, where, { id: registered.id, name, options: given }), user, where);
  }

  /** The user presses the button labelled so on a message they can see. */
  pressButton(user: APIUser, messageId: string, label: string | RegExp): FakeInteraction {
    const { message, place } = this.pressable(user, messageId);
    const button = this.buttonsOf(message).find((b) => 'label' in b && b.label !== undefined && (typeof label === 'string' ? b.label === label : label.test(b.label)));
    if (!button || !('custom_id' in button)) throw new Error(`no button ${String(label)} on message ${messageId}: ${JSON.stringify(this.buttonsOf(message).map((b) => ('label' in b ? b.label : '?')))}`);
    return this.dispatchInteraction(buttonInteraction(this.applicationId, user, place, message, button.custom_id), user, place, messageId);
  }

  /** The user picks the option labelled so in a select on a message they can see. */
  chooseOption(user: APIUser, messageId: string, optionLabel: string | RegExp): FakeInteraction {
    const { message, place } = this.pressable(user, messageId);
    for (const select of this.selectsOf(message)) {
      const option = select.options.find((o) => (typeof optionLabel === 'string' ? o.label === optionLabel : optionLabel.test(o.label)));
      if (option) return this.dispatchInteraction(selectInteraction(this.applicationId, user, place, message, select.custom_id, [option.value]), user, place, messageId);
    }
    throw new Error(`no option ${String(optionLabel)} on message ${messageId}`);
  }

  /** The user fills in and submits the modal the bot opened in answer to `opened`. */
  submitModal(user: APIUser, opened: FakeInteraction, values: Record<string, string>): FakeInteraction {
    const modal = opened.modal;
    if (!modal) throw new Error('the bot opened no modal for that interaction');
    const components = modal.components.map((component) => {
      if (component.type !== ComponentType.Label || component.component.type !== ComponentType.TextInput) throw new Error('only labelled text inputs are simulated');
      const customId = component.component.custom_id;
      return { type: ComponentType.Label as const, id: 1, component: { type: ComponentType.TextInput as const, id: 2, custom_id: customId, value: values[customId] ?? '' } };
    });
    const data: APIModalSubmission = { custom_id: modal.custom_id, components };
    const source = opened.sourceMessageId ? this.messages.get(opened.sourceMessageId)?.message : undefined;
    return this.dispatchInteraction(modalSubmitInteraction(this.applicationId, user, opened.place, data, source), user, opened.place, opened.sourceMessageId);
  }

  // --- what people see ----------------------------------------------------------------

  message(id: string): StoredMessage {
    const stored = this.messages.get(id);
    if (!stored) throw new Error(`no message ${id}`);
    return stored;
  }

  /** Messages the bot wrote that this user sees: in their DM, and ephemeral ones anywhere, oldest first. */
  botMessagesFor(userId: string): APIMessage[] {
    const dm = this.dmChannelByUser.get(userId);
    return [...this.messages.values()]
      .filter((m) => !m.deleted && m.message.author.id === this.botUser.id && (m.visibleTo ? m.visibleTo === userId : m.message.channel_id === dm))
      .map((m) => m.message)
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  /** The bot's messages in a channel that everyone there sees (not ephemeral ones), oldest first. */
  channelMessages(channelId: string): APIMessage[] {
    return [...this.messages.values()]
      .filter((m) => !m.deleted && !m.visibleTo && m.message.author.id === this.botUser.id && m.message.channel_id === channelId)
      .map((m) => m.message)
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  buttonsOf(message: APIMessage): APIButtonComponent[] {
    return (message.components ?? []).flatMap((row) => (row.type === ComponentType.ActionRow ? row.components.filter((c): c is APIButtonComponent => c.type === ComponentType.Button) : []));
  }

  selectsOf(message: APIMessage): APIStringSelectComponent[] {
    return (message.components ?? []).flatMap((row) => (row.type === ComponentType.ActionRow ? row.components.filter((c): c is APIStringSelectComponent => c.type === ComponentType.StringSelect) : []));
  }

  /** Resolves when `probe` returns something (checked on every change); fails after `timeoutMs` naming what was awaited. */
  async waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
    const now = probe();
    if (now) return now;
    return new Promise<T>((resolve, reject) => {
      const onChange = (): void => {
        const found = probe();
        if (!found) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Discord never showed: ${what}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.changes.off('change', onChange);
      };
      this.changes.on('change', onChange);
    });
  }

  // --- internals ------------------------------------------------------------------------

  private changed(): void {
    this.changes.emit('change');
  }

  private pressable(user: APIUser, messageId: string): { message: APIMessage; place: Place } {
    const stored = this.message(messageId);
    if (stored.deleted || (stored.visibleTo && stored.visibleTo !== user.id)) throw new Error(`${user.username} cannot see message ${messageId}`);
    const place = this.channels.get(stored.message.channel_id);
    if (!place) throw new Error(`message ${messageId} is in an unknown channel`);
    return { message: stored.message, place: place.kind === 'dm' ? { kind: 'dm', channelId: place.channelId } : { kind: 'guild', guildId: place.guildId, channelId: place.channelId } };
  }

  private dispatchInteraction(payload: APIInteraction, user: APIUser, place: Place, sourceMessageId?: string): FakeInteraction {
    const interaction: FakeInteraction = { payload, id: payload.id, token: payload.token, user, place, responses: [], followUpIds: [], dispatchedAt: Date.now(), expired: false, ...(sourceMessageId ? { sourceMessageId } : {}) };
    this.interactions.push(interaction);
    if (this.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload) === 0) throw new Error('no gateway session to deliver the interaction to');
    return interaction;
  }

  private createMessage(channelId: string, content: MessageContent, extra: Partial<APIMessage> = {}, visibleTo?: string): StoredMessage {
    const message = messagePayload(channelId, this.botUser, content, extra);
    const stored: StoredMessage = { message, edits: [], deleted: false, ...(visibleTo ? { visibleTo } : {}) };
    this.messages.set(message.id, stored);
    const place = this.channels.get(channelId);
    // Discord tells the bot about messages in its DMs, its own included; ephemeral ones are nobody's.
    if (place?.kind === 'dm' && !visibleTo) this.gateway.dispatch(GatewayDispatchEvents.MessageCreate, directMessageCreate(message), GatewayIntentBits.DirectMessages);
    return stored;
  }

  private contentOf(body: Record<string, unknown>): MessageContent {
    return {
      content: typeof body.content === 'string' ? body.content : '',
      embeds: (body.embeds as MessageContent['embeds'] | undefined) ?? [],
      components: (body.components as MessageContent['components'] | undefined) ?? [],
      flags: typeof body.flags === 'number' ? body.flags : 0,
    };
  }

  private edit(stored: StoredMessage, body: Record<string, unknown>, via: 'bot' | 'interaction'): APIMessage {
    const m = stored.message;
    if ('content' in body) m.content = typeof body.content === 'string' ? body.content : '';
    if ('embeds' in body) m.embeds = (body.embeds as APIMessage['embeds'] | null) ?? [];
    if ('components' in body) m.components = (body.components as APIMessage['components'] | null) ?? [];
    // The first edit of a deferred reply replaces "thinking…".
    m.flags = (m.flags ?? 0) & ~MessageFlags.Loading;
    m.edited_timestamp = new Date().toISOString();
    stored.edits.push({ via, body });
    return m;
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const segments = url.pathname.split('/').slice(1).map((s) => decodeURIComponent(s));
    const path = `/${segments.join('/')}`;
    const authorization = request.headers.authorization;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    let status = 200;
    let answer: unknown;
    try {
      if (raw) {
        if (!request.headers['content-type']?.startsWith('application/json')) throw invalidBody(['only JSON bodies are simulated']);
        body = JSON.parse(raw) as unknown;
      }
      if (!request.headers['user-agent']?.startsWith('DiscordBot')) throw new HttpError(400, { message: 'A DiscordBot user agent is required', code: 0 }, ['missing DiscordBot user agent']);
      if (segments[0] !== 'api' || segments[1] !== 'v10') throw new HttpError(404, { message: '404: Not Found', code: 0 }, ['not /api/v10']);
      answer = this.route(request.method ?? 'GET', segments.slice(2), url.searchParams, authorization, (body ?? {}) as Record<string, unknown>);
      if (answer === undefined) status = 204;
    } catch (error) {
      // Anything but a deliberate refusal is the fake's own fault: answer 500 and record it.
      const refusal = error instanceof HttpError ? error : new HttpError(500, { message: '500: Internal Server Error', code: 0 }, [`fake Discord failed: ${String(error)}`]);
      status = refusal.status;
      answer = refusal.body;
      this.violations.push({ method: request.method ?? '', path, status, problems: refusal.problems.length > 0 ? refusal.problems : [refusal.message] });
    }
    this.requests.push({ method: request.method ?? '', path, query: url.searchParams, authorization, body, status });
    if (status === 204) response.writeHead(204).end();
    else response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    this.changed();
  }

  private requireBot(authorization: string | undefined): void {
    if (authorization !== `Bot ${this.token}`) throw new HttpError(401, { message: '401: Unauthorized', code: 0 }, ['bot call without the right Authorization: Bot <token>']);
  }

  private refuseAuthorization(authorization: string | undefined, what: string): void {
    // Discord ignores it, but a bot that sends its token here is doing something wrong.
    if (authorization !== undefined) this.violations.push({ method: '', path: what, status: 0, problems: [`${what} carried an Authorization header`] });
  }

  private route(method: string, s: string[], query: URLSearchParams, authorization: string | undefined, body: Record<string, unknown>): unknown {
    const [a, b, c, d, e] = s;
    if (method === 'GET' && a === 'gateway' && b === 'bot' && s.length === 2) {
      this.requireBot(authorization);
      return { url: `ws://127.0.0.1:${this.port}/gateway`, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } };
    }
    if (method === 'POST' && a === 'users' && b === '@me' && c === 'channels' && s.length === 3) {
      this.requireBot(authorization);
      const recipient = this.users.get(String(body.recipient_id));
      if (!recipient || recipient.id === this.botUser.id) throw new HttpError(400, { message: 'Invalid Recipient(s)', code: 50033 }, ['DM with an unknown user']);
      return { id: this.dmChannelOf(recipient.id), type: 1, last_message_id: null, flags: 0, recipients: [recipient] };
    }
    if (a === 'channels' && b && c === 'messages') {
      this.requireBot(authorization);
      if (!this.channels.has(b)) throw unknown('Channel', RESTJSONErrorCodes.UnknownChannel);
      if (method === 'POST' && s.length === 3) {
        const problems = messageBodyProblems(body, { partial: false });
        if (problems.length > 0) throw invalidBody(problems);
        return this.createMessage(b, this.contentOf(body)).message;
      }
      const stored = d ? this.messages.get(d) : undefined;
      if (!stored || stored.deleted || stored.message.channel_id !== b || stored.visibleTo) throw unknown('Message', RESTJSONErrorCodes.UnknownMessage);
      if (method === 'GET' && s.length === 4) return stored.message;
      if (method === 'PATCH' && s.length === 4) {
        if (stored.message.author.id !== this.botUser.id) throw new HttpError(403, { message: 'Cannot edit a message authored by another user', code: 50005 });
        const problems = messageBodyProblems(body, { partial: true });
        if (problems.length > 0) throw invalidBody(problems);
        return this.edit(stored, body, 'bot');
      }
    }
    if (method === 'POST' && a === 'interactions' && b && c && d === 'callback' && s.length === 4) {
      this.refuseAuthorization(authorization, 'an interaction callback');
      return this.callback(b, c, body, query);
    }
    if (a === 'webhooks' && b && c) {
      this.refuseAuthorization(authorization, 'an interaction webhook call');
      return this.webhook(method, b, c, s.slice(3), body, query);
    }
    if (method === 'PUT' && a === 'applications' && b && (s.length === 3 && c === 'commands' || (s.length === 5 && c === 'guilds' && e === 'commands'))) {
      this.requireBot(authorization);
      if (b !== this.applicationId) throw new HttpError(403, { message: 'Missing Access', code: RESTJSONErrorCodes.MissingAccess }, ['commands for another application']);
      return this.registerCommands(s.length === 5 ? d! : '', body);
    }
    throw new HttpError(404, { message: '404: Not Found', code: 0 }, [`no route ${method} ${s.join('/')}`]);
  }

  private registerCommands(scope: string, body: unknown): APIApplicationCommand[] {
    if (!Array.isArray(body)) throw invalidBody(['body: an array of commands']);
    const problems: string[] = [];
    const registered = (body as RESTPostAPIChatInputApplicationCommandsJSONBody[]).map((command, i) => {
      if (!/^[-_\p{Ll}\p{N}]{1,32}$/u.test(command.name)) problems.push(`[${i}].name: 1–32 lowercase characters`);
      if (!command.description || command.description.length > 100) problems.push(`[${i}].description: 1–100 characters`);
      for (const [j, option] of (command.options ?? []).entries()) {
        if (!/^[-_\p{Ll}\p{N}]{1,32}$/u.test(option.name)) problems.push(`[${i}].options[${j}].name: 1–32 lowercase characters`);
        if (!option.description || option.description.length > 100) problems.push(`[${i}].options[${j}].description: 1–100 characters`);
      }
      return { ...command, id: snowflake(), application_id: this.applicationId, version: snowflake(), default_member_permissions: null, nsfw: false, ...(scope ? { guild_id: scope } : {}) } as APIApplicationCommand;
    });
    if (problems.length > 0) throw invalidBody(problems);
    this.commands.set(scope, registered);
    return registered;
  }

  private interactionFor(id: string | undefined, token: string): FakeInteraction | undefined {
    return this.interactions.find((i) => i.token === token && (id === undefined || i.id === id));
  }

  private callback(id: string, token: string, body: Record<string, unknown>, query: URLSearchParams): undefined {
    const interaction = this.interactionFor(id, token);
    if (!interaction || interaction.expired) throw unknown('interaction', RESTJSONErrorCodes.UnknownInteraction);
    if (Date.now() - interaction.dispatchedAt > INTERACTION_DEADLINE_MS) throw new HttpError(404, { message: 'Unknown interaction', code: RESTJSONErrorCodes.UnknownInteraction }, ['first answer later than 3 s']);
    if (interaction.responses.length > 0) throw new HttpError(400, { message: 'Interaction has already been acknowledged.', code: RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged });
    if (query.get('with_response') === 'true') throw new HttpError(400, { message: 'with_response is not simulated', code: 0 }, ['with_response']);
    const type = body.type as InteractionResponseType;
    const data = (body.data ?? {}) as Record<string, unknown>;
    const kind = interaction.payload.type;
    const onMessage = interaction.sourceMessageId !== undefined;
    const ephemeralFlag = typeof data.flags === 'number' && (data.flags & MessageFlags.Ephemeral) !== 0;
    const channelId = interaction.place.channelId;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const problems = messageBodyProblems(data, { partial: false });
        if (problems.length > 0) throw invalidBody(problems);
        interaction.originalMessageId = this.createMessage(channelId, this.contentOf(data), { webhook_id: this.applicationId, application_id: this.applicationId }, ephemeralFlag ? interaction.user.id : undefined).message.id;
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource:
        interaction.originalMessageId = this.createMessage(
          channelId,
          { content: '', embeds: [], components: [], flags: MessageFlags.Loading | (ephemeralFlag ? MessageFlags.Ephemeral : 0) },
          { webhook_id: this.applicationId, application_id: this.applicationId },
          ephemeralFlag ? interaction.user.id : undefined,
        ).message.id;
        break;
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage:
        if (!onMessage) throw invalidBody([`response type ${type} is only for interactions on a message`]);
        interaction.originalMessageId = interaction.sourceMessageId;
        if (type === InteractionResponseType.UpdateMessage) {
          const problems = messageBodyProblems(data, { partial: true });
          if (problems.length > 0) throw invalidBody(problems);
          this.edit(this.message(interaction.sourceMessageId!), data, 'interaction');
        }
        break;
      case InteractionResponseType.Modal: {
        if (kind === InteractionType.ModalSubmit) throw invalidBody(['a modal cannot answer a modal submit']);
        const problems = modalProblems(data);
        if (problems.length > 0) throw invalidBody(problems);
        interaction.modal = data as unknown as APIModalInteractionResponseCallbackData;
        break;
      }
      default:
        throw invalidBody([`unsupported interaction response type ${String(type)}`]);
    }
    interaction.responses.push({ type, data });
    return undefined;
  }

  private webhook(method: string, applicationId: string, token: string, rest: string[], body: Record<string, unknown>, query: URLSearchParams): unknown {
    const interaction = this.interactionFor(undefined, token);
    if (!interaction || applicationId !== this.applicationId) throw unknown('Webhook', RESTJSONErrorCodes.UnknownWebhook);
    if (interaction.expired) throw new HttpError(401, { message: 'Invalid Webhook Token', code: RESTJSONErrorCodes.InvalidWebhookToken }, ['interaction token used after it expired']);
    const first = interaction.responses[0];
    if (!first || first.type === InteractionResponseType.Modal) throw unknown('Webhook', RESTJSONErrorCodes.UnknownWebhook);
    if (method === 'POST' && rest.length === 0) {
      const problems = messageBodyProblems(body, { partial: false });
      if (problems.length > 0) throw invalidBody(problems);
      const content = this.contentOf(body);
      const inherited = interaction.originalMessageId ? this.message(interaction.originalMessageId).visibleTo : undefined;
      const ephemeral = (content.flags & MessageFlags.Ephemeral) !== 0;
      const stored = this.createMessage(interaction.place.channelId, content, { webhook_id: this.applicationId, application_id: this.applicationId }, ephemeral ? interaction.user.id : inherited);
      interaction.followUpIds.push(stored.message.id);
      return query.get('wait') === 'true' ? stored.message : undefined;
    }
    if (rest[0] === 'messages' && rest[1] && rest.length === 2) {
      const messageId = rest[1] === '@original' ? interaction.originalMessageId : rest[1];
      const stored = messageId ? this.messages.get(messageId) : undefined;
      if (!stored || stored.deleted || (messageId !== interaction.originalMessageId && !interaction.followUpIds.includes(messageId!))) throw unknown('Message', RESTJSONErrorCodes.UnknownMessage);
      if (method === 'GET') return stored.message;
      if (method === 'PATCH') {
        const problems = messageBodyProblems(body, { partial: true });
        if (problems.length > 0) throw invalidBody(problems);
        return this.edit(stored, body, 'interaction');
      }
      if (method === 'DELETE') {
        stored.deleted = true;
        return undefined;
      }
    }
    throw new HttpError(404, { message: '404: Not Found', code: 0 }, [`no webhook route ${method} ${rest.join('/')}`]);
  }
}
