import type { Kysely } from 'kysely';
import type { Database } from './database.types.js';

export type Db = Kysely<Database>;
/** Nest injection tokens for the Kysely instance and the pg pool behind it. */
export const DB = Symbol('guddu.db');
export const PG_POOL = Symbol('guddu.pg-pool');
