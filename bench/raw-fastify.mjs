// The baseline: a bare Fastify 5 app (no logger, no plugins, no hooks) answering one small JSON
// object. It is what the same machine, Node and autocannon settings give for "HTTP and nothing
// else"; Guddu's GET is compared with it. Run as a child of bench/http.mjs; PORT picks the port
// (0: any free one) and the chosen one is printed as a JSON line on stdout.
import fastify from 'fastify';

const app = fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));

const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ listening: address, port: app.server.address().port })}\n`);

const stop = () => app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
