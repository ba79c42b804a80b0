import { io, type Socket } from 'socket.io-client';
import { api } from './client';
import { refreshSession } from './session-fetch';
import type { ResponseOf } from './types';

export type LiveEvent = ResponseOf<'RealtimeController.events'>['events'][number];
export type LiveState = 'connecting' | 'live' | 'reconnecting';

export interface LiveHandlers {
  onEvent: (event: LiveEvent) => void;
  /** Events were lost (pruned, too many, or the server restored): refetch everything shown. */
  onResync: () => void;
  onState: (state: LiveState) => void;
}

/** Not live this long: poll the fallback route until the socket is back. */
const POLL_AFTER_MS = 5_000;
const POLL_EVERY_MS = 10_000;
/** Event ids remembered for dropping repeats: far more than a catch-up's look-back holds. */
const SEEN_IDS = 5_000;
/** The session ended or the token expired: the cookie is refreshed, then the socket tries again. */
const AUTH_CODES = new Set(['unauthenticated', 'token_expired', 'token_invalid', 'session_revoked']);

/**
 * The console's socket (decision 0020): same origin, the session cookie rides the handshake.
 * It remembers the outbox position of the last event it saw and sends it on every reconnect,
 * so the server replays what was missed; events come at least once and are dropped here by id
 * when already seen. While the socket is down the polling route takes over with the same position.
 */
export function connectLive(handlers: LiveHandlers): () => void {
  let position: number | undefined;
  let stopped = false;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  const socket: Socket = io({
    path: '/api/realtime',
    // WebSocket only: socket.io's own long-polling would need sticky sessions across replicas;
    // where WebSockets cannot pass, the polling route below takes over.
    transports: ['websocket'],
    withCredentials: true,
    auth: (cb) => cb(position === undefined ? {} : { after: position }),
  });

  // By id, not by position: an event whose transaction committed late arrives after ones with
  // higher positions, and catch-up sends the last seconds again (decision 0020).
  const delivered = new Set<string>();
  const seen = (at: number) => {
    position = Math.max(position ?? 0, at);
  };
  const deliver = (e: LiveEvent) => {
    if (delivered.has(e.id)) return;
    delivered.add(e.id);
    if (delivered.size > SEEN_IDS) delivered.delete(delivered.values().next().value as string);
    seen(e.position);
    handlers.onEvent(e);
  };

  const schedulePoll = (delay: number) => {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(() => void poll(), delay);
  };
  const poll = async () => {
    if (stopped || socket.connected) return;
    const result = await api.GET('/api/v1/realtime/events', { params: { query: position === undefined ? {} : { after: position } } }).catch(() => undefined);
    const page = result?.data;
    if (page) {
      if (page.resync) handlers.onResync();
      else page.events.forEach(deliver);
      position = page.position;
    }
    schedulePoll(POLL_EVERY_MS);
  };
  const lost = () => {
    handlers.onState('reconnecting');
    schedulePoll(POLL_AFTER_MS);
  };
  const retryAfterRefresh = () => {
    void refreshSession().then((ok) => {
      if (ok && !stopped) socket.connect();
    });
  };

  socket.on('connect', () => clearTimeout(pollTimer));
  socket.on('event', deliver);
  socket.on('ready', (r: { position: number }) => {
    seen(r.position);
    handlers.onState('live');
  });
  socket.on('resync', (r: { position: number | null }) => {
    if (r.position !== null) position = r.position;
    handlers.onResync();
    handlers.onState('live');
  });
  socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
    lost();
    // A refused handshake is not retried by socket.io itself.
    if (!socket.active && AUTH_CODES.has(err.data?.code ?? '')) retryAfterRefresh();
  });
  socket.on('disconnect', (reason) => {
    lost();
    // The server closes a socket when its token expires.
    if (reason === 'io server disconnect') retryAfterRefresh();
  });

  return () => {
    stopped = true;
    clearTimeout(pollTimer);
    socket.disconnect();
  };
}
