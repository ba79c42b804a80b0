import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { sessionFetch } from './session-fetch';

/**
 * The one API client: typed from server/openapi.json, same origin, cookie session. It reads
 * JSON: an operation that can also answer CSV (Accept: text/csv) is typed by its JSON answer.
 */
export const api = createClient<paths, 'application/json'>({ baseUrl: '', fetch: sessionFetch, credentials: 'same-origin' });
