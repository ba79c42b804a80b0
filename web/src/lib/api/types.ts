import type { operations } from './schema';

/** The JSON a successful call of an operation answers, by its operationId. */
export type ResponseOf<O extends keyof operations, S extends number = 200> = operations[O]['responses'] extends Record<S, { content: { 'application/json': infer T } }> ? T : never;
/** The JSON body an operation takes. */
export type BodyOf<O extends keyof operations> = operations[O] extends { requestBody?: { content: { 'application/json': infer T } } } ? T : never;
