import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { sessionFetch } from './session-fetch';

/** The one API client: typed from server/openapi.json, same origin, cookie session. */
export const api = createClient<paths>({ baseUrl: '', fetch: sessionFetch, credentials: 'same-origin' });
