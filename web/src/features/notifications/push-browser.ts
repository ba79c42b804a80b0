/**
 * Browser push from the page's side: the service worker (/sw.js) shows what the server pushes;
 * this file asks the person's permission, subscribes with the installation's VAPID public key
 * and hands the subscription to the server. The server's id for it is kept beside the endpoint
 * so this browser can unsubscribe itself later.
 */
export interface BrowserSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

type Register = (sub: BrowserSubscription) => Promise<string>;
const ID_KEY = (endpoint: string) => `guddu.push.${endpoint}`;

export class PushUnavailableError extends Error {
  constructor(readonly reason: 'unsupported' | 'denied') {
    super(reason);
  }
}

export function pushSupported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

async function registration(): Promise<ServiceWorkerRegistration> {
  await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  return navigator.serviceWorker.ready;
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  const reg = await navigator.serviceWorker.getRegistration('/');
  return reg ? reg.pushManager.getSubscription() : null;
}

function asJson(sub: PushSubscription): BrowserSubscription {
  const json = sub.toJSON();
  return { endpoint: sub.endpoint, keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' } };
}

export async function subscribeBrowser(publicKey: string, register: Register): Promise<void> {
  if (!pushSupported()) throw new PushUnavailableError('unsupported');
  if ((await Notification.requestPermission()) !== 'granted') throw new PushUnavailableError('denied');
  const reg = await registration();
  const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(publicKey) }));
  try {
    localStorage.setItem(ID_KEY(sub.endpoint), await register(asJson(sub)));
  } catch (err) {
    // The server refused it: a subscription it does not know would only ever stay silent.
    await sub.unsubscribe();
    throw err;
  }
}

/** Removes the server's copy first (its id kept at subscribe time, or found by registering again), then the browser's. */
export async function unsubscribeBrowser(register: Register, remove: (id: string) => Promise<void>): Promise<void> {
  const sub = await currentSubscription();
  if (!sub) return;
  const id = localStorage.getItem(ID_KEY(sub.endpoint)) ?? (await register(asJson(sub)));
  await remove(id);
  localStorage.removeItem(ID_KEY(sub.endpoint));
  await sub.unsubscribe();
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}
