import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiCompatibleSentimentProvider } from './openai-compatible.provider.js';
import { sentimentProviderFor } from './sentiment.service.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A stand-in for an operator's model server, over real HTTP. */
async function modelServer(answer: (body: { messages: Array<{ content: string }> }, req: IncomingMessage) => { status: number; content: string }) {
  const requests: Array<{ authorization: string | undefined; user: string }> = [];
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as { messages: Array<{ content: string }> };
      requests.push({ authorization: req.headers.authorization, user: body.messages[1]?.content ?? '' });
      const { status, content } = answer(body, req);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { content } }] }));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, requests };
}

describe('the OpenAI-compatible sentiment provider', () => {
  it('is not used unless a model is configured', () => {
    expect(sentimentProviderFor(undefined).name).toBe('lexicon');
  });

  it('scores supported comments with the model and records it as the method', async () => {
    const { url, requests } = await modelServer(() => ({ status: 200, content: '{"scores": [0.8, -0.6]}' }));
    const provider = new OpenAiCompatibleSentimentProvider({ url, model: 'local-llm', apiKey: 'k-1', timeoutMs: 5000 });
    const results = await provider.analyse(['Great work', 'Merci beaucoup', 'बहुत खराब सेवा']);
    expect(results).toEqual([
      { language: 'en', label: 'positive', score: 0.8, method: 'model:local-llm' },
      { language: 'unsupported', label: 'unsupported', score: null, method: 'none' },
      { language: 'hi', label: 'negative', score: -0.6, method: 'model:local-llm' },
    ]);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.authorization).toBe('Bearer k-1');
    expect(requests[0]?.user).not.toContain('Merci'); // an unsupported comment is not sent
  });

  it('falls back to the lexicon, and says so, when the model answers out of shape', async () => {
    const { url } = await modelServer(() => ({ status: 200, content: 'I think they are positive' }));
    const provider = new OpenAiCompatibleSentimentProvider({ url, model: 'local-llm', apiKey: undefined, timeoutMs: 5000 });
    const [result] = await provider.analyse(['The staff were rude and unhelpful.']);
    expect(result).toMatchObject({ language: 'en', label: 'negative', method: 'vader-1.1.3+guddu-rules' });
  });
});
