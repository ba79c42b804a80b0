import type { Server as HttpServer } from 'node:http';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server, type Socket } from 'socket.io';
import { AppError, platformError } from '../../platform/errors/app-error.js';
import { ACCESS_COOKIE, readCookies } from '../../platform/http/cookies.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import { PLATFORM_RESOURCES, type PlatformResources } from '../../platform/platform.module.js';
import type { LiveEvent } from './realtime-events.js';
import { RealtimeService, type Listener } from './realtime.service.js';

export const REALTIME_PATH = '/api/realtime';

/**
 * socket.io on the API's own server and port. A socket is admitted with the console's session
 * cookie (or a Bearer token, for API clients), joins the rooms of its memberships, and may ask
 * for what it missed since a position. With REDIS_URL every process, the worker included,
 * shares one adapter, so an event relayed anywhere reaches sockets on every replica.
 */
@Injectable()
export class RealtimeGateway implements OnModuleDestroy {
  private readonly io: Server;
  private readonly redis: Redis[] = [];
  private closing = false;
  private recheck: NodeJS.Timeout | undefined;
  private rechecking = false;

  constructor(
    @Inject(PLATFORM_RESOURCES) res: PlatformResources,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly realtime: RealtimeService,
  ) {
    this.io = new Server({ path: REALTIME_PATH, serveClient: false, connectTimeout: 10_000 });
    // The CLI neither serves nor relays events.
    if (res.config.redisUrl && res.role !== 'cli') {
      const pub = new Redis(res.config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
      const sub = pub.duplicate();
      for (const c of [pub, sub]) c.on('error', (err: Error) => this.log.warn({ err: err.message }, 'realtime redis connection error'));
      this.redis.push(pub, sub);
      this.io.adapter(createAdapter(pub, sub, { key: `${res.config.jobs.redisPrefix}:realtime` }));
    }
    this.io.use((socket, next) => {
      this.admit(socket).then(
        () => next(),
        (err: unknown) => next(refusal(err)),
      );
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
    // A socket outlives the request that admitted it: signing out (here or everywhere) or a
    // deactivation must end it too, not only its access token's expiry.
    if (res.role !== 'cli') {
      this.recheck = setInterval(() => void this.dropEndedSessions(), res.config.realtimeRecheckMs);
      this.recheck.unref();
    }
  }

  /** API processes serve sockets; a worker only emits (through Redis). */
  attach(server: HttpServer): void {
    this.io.attach(server);
  }

  emit(rooms: string[], event: LiveEvent): void {
    // Once closing, an event relayed late would reach the Redis adapter after its clients quit,
    // and the adapter does not catch its publish: an unhandled rejection at every shutdown.
    if (this.closing || rooms.length === 0) return;
    this.io.to(rooms).emit('event', event);
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    clearInterval(this.recheck);
    // Not io.close(): that would close the HTTP server under Fastify. Sockets go first, so that
    // the server's close is not held open by upgraded connections.
    this.io.disconnectSockets(true);
    this.io.engine?.close();
    await Promise.all(this.redis.map((c) => c.quit().catch(() => c.disconnect())));
  }

  /** Disconnects this process's sockets whose session has ended; the client's reconnect is then refused. */
  private async dropEndedSessions(): Promise<void> {
    if (this.rechecking || this.closing) return;
    this.rechecking = true;
    try {
      const bySession = new Map<string, Socket[]>();
      for (const socket of this.io.sockets.sockets.values()) {
        const listener = (socket.data as { listener?: Listener }).listener;
        if (listener) bySession.set(listener.sessionId, [...(bySession.get(listener.sessionId) ?? []), socket]);
      }
      if (bySession.size === 0) return;
      for (const id of await this.realtime.endedSessions([...bySession.keys()])) {
        for (const socket of bySession.get(id) ?? []) {
          socket.emit('session_ended', { code: 'session_revoked' });
          socket.disconnect(true);
        }
      }
    } catch (err) {
      this.log.warn({ err }, 'realtime session re-check failed; trying again on the next round');
    } finally {
      this.rechecking = false;
    }
  }

  private async admit(socket: Socket): Promise<void> {
    const listener = await this.realtime.admit(tokenOf(socket));
    (socket.data as { listener?: Listener }).listener = listener;
  }

  private onConnection(socket: Socket): void {
    const listener = (socket.data as { listener: Listener }).listener;
    void socket.join(listener.rooms);
    // The token that admitted the socket ends; the client reconnects with a fresh one, which
    // also picks up memberships changed meanwhile.
    const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, listener.expiresAt - Date.now()));
    socket.on('disconnect', () => clearTimeout(expiry));
    // Joined before reading: an event committed meanwhile arrives live or in the catch-up
    // (perhaps both; clients deduplicate by position).
    void this.catchUp(socket, listener, afterOf(socket.handshake.auth));
  }

  private async catchUp(socket: Socket, listener: Listener, after: number | undefined): Promise<void> {
    try {
      const result = await this.realtime.catchUp(listener, after);
      if (result.resync) {
        socket.emit('resync', { position: result.position });
        return;
      }
      for (const e of result.events) socket.emit('event', e);
      socket.emit('ready', { position: result.position });
    } catch (err) {
      this.log.warn({ err }, 'realtime catch-up failed; asking the client to resync');
      socket.emit('resync', { position: null });
    }
  }
}

/** A Bearer token (header or handshake auth), else the console's cookie. */
function tokenOf(socket: Socket): string {
  const { headers, auth } = socket.handshake;
  const header = headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header);
    if (match) return match[1]!;
  }
  const given = (auth as { token?: unknown }).token;
  if (typeof given === 'string' && given.length > 0) return given;
  // SameSite=Strict already keeps the cookie off another site's handshake; the Origin check
  // makes that explicit for browsers that send a cross-site WebSocket anyway.
  if (!sameOrigin(headers.origin, headers.host)) throw platformError('forbidden', 'A console socket must come from the console’s own origin');
  const token = readCookies({ headers } as Parameters<typeof readCookies>[0]).get(ACCESS_COOKIE);
  if (!token) throw platformError('unauthenticated', 'Sign in first: the socket needs the session cookie or a Bearer token');
  return token;
}

function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function afterOf(auth: unknown): number | undefined {
  const after = (auth as { after?: unknown } | undefined)?.after;
  return typeof after === 'number' && Number.isSafeInteger(after) && after >= 0 ? after : undefined;
}

/** socket.io sends `message` and `data` of a middleware's error to the client's connect_error. */
function refusal(err: unknown): Error {
  const code = err instanceof AppError ? err.code : 'internal_error';
  const message = err instanceof AppError ? err.message : 'The socket could not be admitted';
  return Object.assign(new Error(message), { data: { code } });
}
