// The second baseline: a bare Fastify app doing exactly the database work of Guddu's tenant GET
// (one round trip that begins the transaction, checks the session and roles and switches to the
// tenant; the subtree query; COMMIT) with node-postgres and nothing else: no Nest, no token
// check, no validation, no headers. Guddu's GET ÷ this says what the framework costs on top of
// the SQL it must run. DATABASE_URL, the ids (USER_ID, ORG_ID, SESSION_ID) and POOL come from
// bench/http.mjs; the chosen port is printed as a JSON line on stdout.
import fastify from 'fastify';
import pg from 'pg';

const { DATABASE_URL, USER_ID, ORG_ID, SESSION_ID } = process.env;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: Number(process.env.POOL ?? 16) });
const opening = `BEGIN;
  SELECT session_ok, roles FROM guddu_request_context('${USER_ID}'::uuid, '${ORG_ID}'::uuid, '${SESSION_ID}'::uuid);
  SELECT set_config('role', 'guddu_app', true), set_config('guddu.org_id', '${ORG_ID}', true),
         set_config('guddu.user_id', '${USER_ID}', true)`;
// Byte for byte what Kysely sends for OrganisationsRepository.listSubtree (checked with
// --count-queries), with the organisation bound twice as there.
const subtree = `select "id", "parent_id", "ancestry", "name", "kind", "created_at" from "organisations" where ("id" = $1 or $2::uuid = ANY (ancestry)) order by cardinality(ancestry), "name"`;

const app = fastify({ logger: false });
app.get('/', async (_req, reply) => {
  const client = await pool.connect();
  try {
    const [, access] = await client.query(opening);
    if (!access.rows[0]?.session_ok) return reply.code(401).send({ error: 'session' });
    const { rows } = await client.query(subtree, [ORG_ID, ORG_ID]);
    await client.query('COMMIT');
    return { items: rows.map((o) => ({ id: o.id, parentId: o.parent_id, name: o.name, kind: o.kind, depth: o.ancestry.length, createdAt: o.created_at })) };
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
});

const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ listening: address, port: app.server.address().port })}\n`);

const stop = () => app.close().then(() => pool.end()).then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
