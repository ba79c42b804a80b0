// Settings → Webhooks against a real receiver on loopback: add one (the secret shown once), a
// test ping, a real event delivered, the delivery log, and "Send again" reaching the receiver
// with the same webhook-id. The server runs with GUDDU_WEBHOOKS_ALLOW_PRIVATE (server.mjs).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';

export async function webhooksFlow({ page, check, heading }) {
  const received = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ id: req.headers['webhook-id'], signature: req.headers['webhook-signature'], body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${receiver.address().port}/hook`;
  const until = async (what, test) => {
    const deadline = Date.now() + 20_000;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`webhooks flow: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await heading(page, 'Settings');
    const section = page.getByRole('region', { name: 'Webhooks' });
    await section.getByText('No webhooks yet.').waitFor();
    await section.getByLabel('Receiver URL').fill(url);
    await section.getByLabel('Events').fill('messages.*');
    await section.getByRole('button', { name: 'Add webhook' }).click();
    const secret = section.getByLabel('Signing secret');
    await secret.waitFor();
    assert.match((await secret.textContent()) ?? '', /^whsec_[A-Za-z0-9+/]{43}=$/);

    await section.getByRole('button', { name: 'Send a test' }).click();
    await section.getByText('The receiver answered 200.').waitFor();
    assert.equal(received.length, 1);
    assert.match(received[0].signature, /^v1,/);

    // A real event: a new draft is `messages.created`.
    const created = await page.evaluate(async () => {
      const csrf = document.cookie.split('; ').find((c) => c.startsWith('guddu_csrf='))?.split('=')[1] ?? '';
      const res = await fetch('/api/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ title: 'Webhook check', content: { bodies: { en: 'Hello receivers' } } }) });
      return res.status;
    });
    assert.equal(created, 201);
    await until('messages.created at the receiver', () => received.some((r) => r.body.includes('"type":"messages.created"')));

    await section.getByRole('button', { name: 'Show deliveries' }).click();
    await section.getByRole('cell', { name: 'messages.created', exact: true }).waitFor();
    await check(page, 'settings-webhooks');
    const first = received.find((r) => r.body.includes('"type":"messages.created"'));
    await section.getByRole('button', { name: 'Send again: messages.created' }).click();
    await until('the redelivery', () => received.filter((r) => r.id === first.id).length === 2);
  } finally {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  }
}
