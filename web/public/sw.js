// Guddu's service worker: shows the notifications the server pushes (Web Push, VAPID) and opens
// the console at the notification's link when one is clicked. The payload is what
// notifications' push channel sends: { title, body, url }, a sentence and a console link, never
// a message body.
self.addEventListener('push', (event) => {
  let data = { title: 'Guddu', body: '', url: '/notifications/' };
  try {
    data = { ...data, ...event.data.json() };
  } catch {
    // A push without a JSON payload still says something arrived.
  }
  event.waitUntil(self.registration.showNotification(data.title, { body: data.body, data: { url: data.url }, lang: self.navigator.language }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url ?? '/notifications/', self.location.origin);
  // Only into this console: a link elsewhere opens the notification centre instead.
  const url = target.origin === self.location.origin ? target.href : new URL('/notifications/', self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => w.url === url);
      return open ? open.focus() : self.clients.openWindow(url);
    }),
  );
});

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
