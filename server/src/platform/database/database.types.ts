/**
 * The Kysely schema. It starts empty: each module adds its own tables by augmenting this
 * interface in its `<feature>.tables.ts`, so the module that owns a table owns its type and no
 * central file has to change when a module is added.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}
