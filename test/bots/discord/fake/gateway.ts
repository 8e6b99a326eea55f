import { GatewayCloseCodes, GatewayDispatchEvents, GatewayOpcodes, type APIUser, type GatewayIdentifyData } from 'discord.js';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { snowflake } from './snowflake';

export interface GatewayOptions {
  /** Whether IDENTIFY's token is accepted (a wrong or revoked token is closed with 4004). */
  acceptsToken(token: string): boolean;
  botUser: APIUser;
  applicationId: string;
  resumeUrl: string;
  heartbeatIntervalMs: number;
  /** Called after anything happened on a connection (tests wait on it). */
  onChange(): void;
}

/** One client's gateway connection, once identified. */
export interface GatewaySession {
  sessionId: string;
  intents: number;
  sequence: number;
  heartbeats: number;
  socket: WebSocket;
}

/**
 * Discord's gateway as discord.js meets it, plain JSON frames (no zlib-sync): HELLO with the
 * heartbeat interval; IDENTIFY answered by READY (with `guilds: []` the client is ready at
 * once) or closed with 4004 for a bad token; heartbeats answered with ACKs; RESUME answered
 * with RESUMED; anything before IDENTIFY closed with 4003. Dispatches carry a sequence.
 */
export class FakeGateway {
  readonly sessions: GatewaySession[] = [];
  /** Close codes the gateway sent, in order. */
  readonly closeCodes: number[] = [];
  private readonly server = new WebSocketServer({ noServer: true });

  constructor(private readonly options: GatewayOptions) {
    this.server.on('connection', (socket, request) => this.accept(socket, request));
  }

  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.server.handleUpgrade(request, socket, head, (ws) => this.server.emit('connection', ws, request));
  }

  private closeWith(socket: WebSocket, code: number, reason: string): void {
    this.closeCodes.push(code);
    socket.close(code, reason);
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    const query = new URL(request.url ?? '/', 'ws://localhost').searchParams;
    if (query.get('v') !== '10') return this.closeWith(socket, GatewayCloseCodes.InvalidAPIVersion, 'Invalid API version');
    if (query.get('encoding') !== 'json') return this.closeWith(socket, GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
    let session: GatewaySession | undefined;
    const send = (payload: unknown): void => socket.send(JSON.stringify(payload));
    send({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs }, s: null, t: null });

    socket.on('message', (raw: Buffer) => {
      let payload: { op?: number; d?: unknown };
      try {
        payload = JSON.parse(raw.toString('utf8')) as { op?: number; d?: unknown };
      } catch {
        return this.closeWith(socket, GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      }
      switch (payload.op) {
        case GatewayOpcodes.Heartbeat:
          if (session) session.heartbeats++;
          send({ op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
          return this.options.onChange();
        case GatewayOpcodes.Identify: {
          if (session) return this.closeWith(socket, GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
          const identify = payload.d as GatewayIdentifyData;
          if (!this.options.acceptsToken(identify.token)) return this.closeWith(socket, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
          if (typeof identify.intents !== 'number') return this.closeWith(socket, GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
          session = { sessionId: snowflake(), intents: identify.intents, sequence: 0, heartbeats: 0, socket };
          this.sessions.push(session);
          return this.dispatchTo(session, GatewayDispatchEvents.Ready, {
            v: 10,
            user: this.options.botUser,
            guilds: [],
            session_id: session.sessionId,
            resume_gateway_url: this.options.resumeUrl,
            shard: [0, 1],
            application: { id: this.options.applicationId, flags: 0 },
          });
        }
        case GatewayOpcodes.Resume: {
          const resume = payload.d as { token: string; session_id: string; seq: number };
          const known = this.sessions.find((s) => s.sessionId === resume.session_id);
          if (!known || !this.options.acceptsToken(resume.token)) return send({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
          known.socket = socket;
          session = known;
          return this.dispatchTo(session, GatewayDispatchEvents.Resumed, {});
        }
        default:
          if (!session) return this.closeWith(socket, GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
      }
    });
    socket.on('close', () => {
      if (session) this.sessions.splice(this.sessions.indexOf(session), 1);
      this.options.onChange();
    });
  }

  private dispatchTo(session: GatewaySession, event: string, data: unknown): void {
    session.sequence += 1;
    session.socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, t: event, s: session.sequence, d: data }));
    this.options.onChange();
  }

  /** Sends an event to every identified session whose intents include `intent` (0: no intent needed). */
  dispatch(event: string, data: unknown, intent = 0): number {
    const receivers = this.sessions.filter((session) => intent === 0 || (session.intents & intent) === intent);
    for (const session of receivers) this.dispatchTo(session, event, data);
    return receivers.length;
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
