import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { blockProblems, viewProblems } from './block-rules';
import { slackSignature, slackTimestamp } from './slack-signing';

type Json = Record<string, unknown>;

export interface SlackUser {
  id: string;
  name: string;
  realName: string;
  tz: string;
}

export interface FakeSlackOptions {
  botToken: string;
  appToken: string;
  signingSecret: string;
  teamId?: string;
}

/** One Web API call the bot made, as it arrived. */
export interface ApiCall {
  seq: number;
  method: string;
  /** Form fields, with the JSON-string fields (`blocks`, `view`) decoded. */
  args: Json;
  token: string | undefined;
  contentType: string | undefined;
}

interface Versioned {
  seq: number;
  text: string;
  blocks: Json[];
  /** Earlier versions, oldest first; an edit moves the current one here. */
  edits: { text: string; blocks: Json[] }[];
  /** When it was last posted or edited. */
  changedSeq: number;
}

export interface FakeMessage extends Versioned {
  kind: 'message';
  channel: string;
  ts: string;
  /** `bot`, or the user id of a person's own message. */
  from: string;
}

export interface FakeEphemeral extends Versioned {
  kind: 'ephemeral';
  channel: string;
  user: string;
  ts: string;
  via: 'chat.postEphemeral' | 'response_url';
}

export interface FakeView {
  seq: number;
  id: string;
  hash: string;
  userId: string;
  view: Json;
  open: boolean;
  /** What the bot answered to each submission (`{}` closes it, `response_action: 'errors'` keeps it). */
  answers: unknown[];
}

/** What Bolt answered a delivery: the HTTP response, or the Socket Mode ack's payload. */
export interface BoltAnswer {
  status: number;
  body: string;
  json?: unknown;
}

export type Delivery = { kind: 'command'; fields: Record<string, string> } | { kind: 'interaction'; payload: Json } | { kind: 'event'; body: Json };

export interface DeliveryOptions {
  /** A redelivery: X-Slack-Retry-Num / Socket Mode `retry_attempt`. */
  retry?: { num: number; reason: string };
  /** HTTP only: send this timestamp or signature instead of correct ones. */
  timestamp?: string;
  signature?: string;
}

interface ResponseUrlTarget {
  channel: string;
  user: string;
  message?: FakeMessage;
  ephemeral?: FakeEphemeral;
  uses: number;
}

const JSON_FIELDS = ['blocks', 'view', 'attachments', 'metadata'];
const MAX_RESPONSE_URL_USES = 5;

export const BOT_USER_ID = 'UBOOKBOT';
export const BOT_ID = 'BBOOKBOT';
export const APP_ID = 'AFAKEAPP';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * Slack as the bot meets it, on 127.0.0.1: the Web API (form-encoded POSTs with a Bearer
 * token, JSON-string fields, `{ok: …}` answers), `response_url`s, and Socket Mode
 * (`apps.connections.open` → a WebSocket that says hello, sends envelopes, takes acks).
 * Toward the bot it plays Slack's side too: signed HTTP requests to Bolt's receiver, or
 * envelopes over the socket. It keeps the workspace's state (DMs, messages and their
 * edits, ephemerals, modals) so tests read it as a person would.
 */
export class FakeSlack {
  readonly teamId: string;
  readonly calls: ApiCall[] = [];
  readonly messages: FakeMessage[] = [];
  readonly ephemerals: FakeEphemeral[] = [];
  readonly views: FakeView[] = [];
  /** Every envelope the bot acknowledged over Socket Mode. */
  readonly socketAcks: Json[] = [];
  /** Requests to the Web API that were refused before reaching a method (bad token or encoding). */
  readonly refused: { method: string; error: string }[] = [];

  private seq = 0;
  private readonly users = new Map<string, SlackUser>();
  private readonly triggers = new Map<string, { userId: string; used: boolean }>();
  private readonly responseUrls = new Map<string, ResponseUrlTarget>();
  private readonly tickets = new Set<string>();
  private readonly pendingAcks = new Map<string, (payload: unknown) => void>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private socket: WebSocket | undefined;
  private boltUrl: string | undefined;
  private baseUrl = '';

  private constructor(
    private readonly options: FakeSlackOptions,
    private readonly server: Server,
  ) {
    this.teamId = options.teamId ?? 'T0FAKETEAM';
  }

  static async start(options: FakeSlackOptions): Promise<FakeSlack> {
    const server = createServer();
    const fake = new FakeSlack(options, server);
    server.on('request', (req, res) => {
      fake.handle(req, res).catch((error: unknown) => sendJson(res, { ok: false, error: 'fatal_error', detail: String(error) }, 500));
    });
    server.on('upgrade', (req, socket, head) => fake.upgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  /** What the bot gets as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** HTTP mode: where signed requests go (Bolt's receiver). */
  useHttpReceiver(url: string): void {
    this.boltUrl = url;
  }

  get socketConnected(): boolean {
    return this.socket !== undefined && this.socket.readyState === this.socket.OPEN;
  }

  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── The workspace ──────────────────────────────────────────────────────────────────

  addUser(user: SlackUser): void {
    this.users.set(user.id, user);
  }

  /** The direct conversation between a person and the bot. */
  dmOf(userId: string): string {
    return `D${userId}`;
  }

  /** A marker: things that happen after it have a larger `seq`. */
  mark(): number {
    return this.seq;
  }

  private next(): number {
    return ++this.seq;
  }

  botMessagesIn(channel: string, since = 0): FakeMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.from === 'bot' && m.seq > since);
  }

  ephemeralsFor(user: string, since = 0): FakeEphemeral[] {
    return this.ephemerals.filter((e) => e.user === user && e.seq > since);
  }

  callsOf(method: string, since = 0): ApiCall[] {
    return this.calls.filter((c) => c.method === method && c.seq > since);
  }

  issueTrigger(userId: string): string {
    const id = `${this.next()}.${randomBytes(6).toString('hex')}`;
    this.triggers.set(id, { userId, used: false });
    return id;
  }

  issueResponseUrl(target: Omit<ResponseUrlTarget, 'uses'>): string {
    const id = randomBytes(8).toString('hex');
    this.responseUrls.set(id, { ...target, uses: 0 });
    return `${this.baseUrl}/response/${id}`;
  }

  /** A person's own message in a conversation, as Slack stores it. */
  recordUserMessage(channel: string, user: string, text: string): FakeMessage {
    const seq = this.next();
    const message: FakeMessage = { kind: 'message', seq, changedSeq: seq, channel, ts: this.tsOf(seq), from: user, text, blocks: [], edits: [] };
    this.messages.push(message);
    return message;
  }

  private tsOf(seq: number): string {
    return `${1_700_000_000 + seq}.${String(seq).padStart(6, '0')}`;
  }

  /** Polls `find` until it returns something; fails with `what` and the transcript. */
  async waitFor<T>(find: () => T | undefined | null | false, what: string, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined && found !== null && found !== false) return found;
      if (Date.now() > deadline) throw new Error(`Fake Slack: waited in vain for ${what}.\n${this.transcript()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Everything in the workspace, for a failing test's message. */
  transcript(): string {
    const lines = [
      ...this.messages.map((m) => ({ seq: m.seq, line: `[${m.channel}] ${m.from}: ${m.text}${m.edits.length ? ` (edited ${m.edits.length}×)` : ''}` })),
      ...this.ephemerals.map((e) => ({ seq: e.seq, line: `[${e.channel}] bot → only ${e.user}: ${e.text}` })),
      ...this.views.map((v) => ({ seq: v.seq, line: `[modal ${v.id} for ${v.userId}] ${JSON.stringify((v.view.title as Json | undefined)?.text)}` })),
    ];
    return lines
      .sort((a, b) => a.seq - b.seq)
      .map((l) => l.line)
      .join('\n');
  }

  // ── Toward the bot ─────────────────────────────────────────────────────────────────

  /** Sends what Slack would send: over the socket when the bot is connected, else signed over HTTP. */
  async deliver(delivery: Delivery, options: DeliveryOptions = {}): Promise<BoltAnswer> {
    const answer = this.socket && this.socketConnected ? await this.deliverBySocket(delivery, options) : await this.deliverByHttp(delivery, options);
    if (delivery.kind === 'interaction' && delivery.payload.type === 'view_submission') this.afterSubmission(delivery.payload, answer);
    return answer;
  }

  private async deliverByHttp(delivery: Delivery, options: DeliveryOptions): Promise<BoltAnswer> {
    if (!this.boltUrl) throw new Error('Fake Slack: no HTTP receiver and no socket connection');
    let body: string;
    let contentType: string;
    if (delivery.kind === 'event') {
      body = JSON.stringify(delivery.body);
      contentType = 'application/json';
    } else {
      body = delivery.kind === 'command' ? new URLSearchParams(delivery.fields).toString() : new URLSearchParams({ payload: JSON.stringify(delivery.payload) }).toString();
      contentType = 'application/x-www-form-urlencoded';
    }
    const timestamp = options.timestamp ?? slackTimestamp();
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': options.signature ?? slackSignature(this.options.signingSecret, timestamp, body),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    };
    if (options.retry) {
      headers['x-slack-retry-num'] = String(options.retry.num);
      headers['x-slack-retry-reason'] = options.retry.reason;
    }
    const response = await fetch(this.boltUrl, { method: 'POST', headers, body });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, body: text, json };
  }

  private async deliverBySocket(delivery: Delivery, options: DeliveryOptions): Promise<BoltAnswer> {
    const envelopeId = randomBytes(12).toString('hex');
    const envelope: Json =
      delivery.kind === 'event'
        ? { envelope_id: envelopeId, type: 'events_api', payload: delivery.body, accepts_response_payload: false, retry_attempt: options.retry?.num ?? 0, retry_reason: options.retry?.reason ?? '' }
        : { envelope_id: envelopeId, type: delivery.kind === 'command' ? 'slash_commands' : 'interactive', payload: delivery.kind === 'command' ? delivery.fields : delivery.payload, accepts_response_payload: true };
    const acked = new Promise<unknown>((resolve) => this.pendingAcks.set(envelopeId, resolve));
    this.socket!.send(JSON.stringify(envelope));
    const payload = await acked;
    return { status: 200, body: JSON.stringify(payload ?? {}), json: payload ?? {} };
  }

  private afterSubmission(payload: Json, answer: BoltAnswer): void {
    const view = this.views.find((v) => v.id === (payload.view as Json).id);
    if (!view) return;
    view.answers.push(answer.json ?? {});
    const keepsOpen = answer.status === 200 && (answer.json as Json | undefined)?.response_action === 'errors';
    if (answer.status === 200 && !keepsOpen) view.open = false;
  }

  // ── Slack's servers ────────────────────────────────────────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (req.method === 'POST' && url.pathname.startsWith('/api/')) return this.webApi(url.pathname.slice('/api/'.length), req, res);
    if (req.method === 'POST' && url.pathname.startsWith('/response/')) return this.responseUrl(url.pathname.slice('/response/'.length), req, res);
    res.writeHead(404).end();
  }

  private async webApi(method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const contentType = req.headers['content-type'];
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const refuse = (error: string): void => {
      this.refused.push({ method, error });
      sendJson(res, { ok: false, error });
    };
    if (!contentType?.startsWith('application/x-www-form-urlencoded')) return refuse('invalid_form_data');
    const args: Json = Object.fromEntries(new URLSearchParams(raw));
    for (const field of JSON_FIELDS) {
      if (typeof args[field] !== 'string') continue;
      try {
        args[field] = JSON.parse(args[field]);
      } catch {
        return refuse('invalid_arguments');
      }
    }
    const expectedToken = method === 'apps.connections.open' ? this.options.appToken : this.options.botToken;
    if (!token) return refuse('not_authed');
    if (token !== expectedToken) return refuse(token === this.options.botToken || token === this.options.appToken ? 'not_allowed_token_type' : 'invalid_auth');
    this.calls.push({ seq: this.next(), method, args, token, contentType });
    sendJson(res, this.method(method, args));
  }

  private method(method: string, args: Json): Json {
    const str = (key: string): string => {
      const value = args[key];
      return typeof value === 'string' ? value : '';
    };
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake-team.slack.com/', team: 'Fake Team', user: 'bookingbot', team_id: this.teamId, user_id: BOT_USER_ID, bot_id: BOT_ID, is_enterprise_install: false };
      case 'apps.connections.open': {
        const ticket = randomBytes(10).toString('hex');
        this.tickets.add(ticket);
        return { ok: true, url: `${this.baseUrl.replace('http://', 'ws://')}/link/?ticket=${ticket}&app_id=${APP_ID}` };
      }
      case 'conversations.open': {
        const user = str('users');
        if (!this.users.has(user)) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: this.dmOf(user) } };
      }
      case 'users.info': {
        const user = this.users.get(str('user'));
        if (!user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: user.id, team_id: this.teamId, name: user.name, real_name: user.realName, tz: user.tz, is_bot: false, profile: { real_name: user.realName, display_name: user.name } } };
      }
      case 'chat.postMessage':
        return this.postMessage(str('channel'), str('text'), args.blocks);
      case 'chat.update':
        return this.updateMessage(str('channel'), str('ts'), str('text'), args.blocks);
      case 'chat.postEphemeral': {
        const channel = str('channel');
        const user = str('user');
        if (!this.knowsChannel(channel)) return { ok: false, error: 'channel_not_found' };
        if (channel.startsWith('D') && channel !== this.dmOf(user)) return { ok: false, error: 'user_not_in_channel' };
        const problems = args.blocks === undefined ? [] : blockProblems(args.blocks);
        if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
        const ephemeral = this.addEphemeral(channel, user, str('text'), (args.blocks as Json[] | undefined) ?? [], 'chat.postEphemeral');
        return { ok: true, message_ts: ephemeral.ts };
      }
      case 'views.open':
        return this.openView(str('trigger_id'), args.view);
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private knowsChannel(channel: string): boolean {
    return channel.startsWith('C') || (channel.startsWith('D') && this.users.has(channel.slice(1)));
  }

  private postMessage(channel: string, text: string, blocks: unknown): Json {
    if (!this.knowsChannel(channel)) return { ok: false, error: 'channel_not_found' };
    if (!text && blocks === undefined) return { ok: false, error: 'no_text' };
    const problems = blocks === undefined ? [] : blockProblems(blocks);
    if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
    const seq = this.next();
    const message: FakeMessage = { kind: 'message', seq, changedSeq: seq, channel, ts: this.tsOf(seq), from: 'bot', text, blocks: (blocks as Json[] | undefined) ?? [], edits: [] };
    this.messages.push(message);
    return { ok: true, channel, ts: message.ts, message: { type: 'message', user: BOT_USER_ID, bot_id: BOT_ID, text, blocks: message.blocks, ts: message.ts } };
  }

  private updateMessage(channel: string, ts: string, text: string, blocks: unknown): Json {
    const message = this.messages.find((m) => m.channel === channel && m.ts === ts);
    if (!message) return { ok: false, error: 'message_not_found' };
    if (message.from !== 'bot') return { ok: false, error: 'cant_update_message' };
    const problems = blocks === undefined ? [] : blockProblems(blocks);
    if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
    this.edit(message, text, blocks as Json[] | undefined);
    return { ok: true, channel, ts, text };
  }

  private edit(target: Versioned, text: string, blocks: Json[] | undefined): void {
    target.edits.push({ text: target.text, blocks: target.blocks });
    target.text = text || target.text;
    // As on Slack: an edit without blocks keeps the old ones.
    if (blocks !== undefined) target.blocks = blocks;
    target.changedSeq = this.next();
  }

  private addEphemeral(channel: string, user: string, text: string, blocks: Json[], via: FakeEphemeral['via']): FakeEphemeral {
    const seq = this.next();
    const ephemeral: FakeEphemeral = { kind: 'ephemeral', seq, changedSeq: seq, channel, user, ts: this.tsOf(seq), text, blocks, edits: [], via };
    this.ephemerals.push(ephemeral);
    return ephemeral;
  }

  private openView(triggerId: string, view: unknown): Json {
    const trigger = this.triggers.get(triggerId);
    if (!trigger) return { ok: false, error: 'invalid_trigger_id' };
    if (trigger.used) return { ok: false, error: 'expired_trigger_id' };
    const problems = viewProblems(view);
    if (problems.length > 0) return { ok: false, error: 'invalid_arguments', errors: problems };
    trigger.used = true;
    const opened: FakeView = { seq: this.next(), id: `V${randomBytes(5).toString('hex').toUpperCase()}`, hash: `${Date.now()}.${randomBytes(4).toString('hex')}`, userId: trigger.userId, view: view as Json, open: true, answers: [] };
    this.views.push(opened);
    return { ok: true, view: { ...opened.view, id: opened.id, hash: opened.hash, team_id: this.teamId, app_id: APP_ID, state: { values: {} } } };
  }

  private async responseUrl(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = this.responseUrls.get(id);
    const raw = await readBody(req);
    if (!target || target.uses >= MAX_RESPONSE_URL_USES) return sendJson(res, { ok: false, error: 'used_url' }, 404);
    if (!req.headers['content-type']?.startsWith('application/json')) return sendJson(res, { ok: false, error: 'invalid_payload' }, 400);
    target.uses++;
    const body = JSON.parse(raw) as Json;
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = body.blocks as Json[] | undefined;
    const problems = blocks === undefined ? [] : blockProblems(blocks);
    if (problems.length > 0) return sendJson(res, { ok: false, error: 'invalid_blocks', errors: problems }, 400);
    if (body.replace_original === true) {
      const original = target.ephemeral ?? target.message;
      if (!original) return sendJson(res, { ok: false, error: 'no_original' }, 404);
      this.edit(original, text, blocks ?? []);
    } else if (body.response_type === 'in_channel') {
      this.postMessage(target.channel, text, blocks);
    } else {
      this.addEphemeral(target.channel, target.user, text, blocks ?? [], 'response_url');
    }
    sendJson(res, { ok: true });
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.socket = ws;
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString('utf8')) as Json;
        const envelopeId = message.envelope_id as string | undefined;
        if (!envelopeId) return;
        this.socketAcks.push(message);
        this.pendingAcks.get(envelopeId)?.(message.payload);
        this.pendingAcks.delete(envelopeId);
      });
      ws.on('close', () => {
        if (this.socket === ws) this.socket = undefined;
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-slack', approximate_connection_time: 18060 }, connection_info: { app_id: APP_ID } }));
    });
  }
}
