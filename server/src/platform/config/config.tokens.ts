/** Nest injection token for the parsed `Config`. */
export const CONFIG = Symbol('guddu.config');
