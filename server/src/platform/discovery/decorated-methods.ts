import type { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';

export interface DecoratedMethod<M> {
  /** What the decorator stored on the method. */
  meta: M;
  /** The method bound to its provider instance. */
  fn: (...args: unknown[]) => unknown;
  /** `Class.method`, for error messages. */
  where: string;
}

/**
 * Every method of a (static) provider that carries metadata under `key`: how the platform finds
 * `@JobHandler` and `@OnEvent` methods at boot without a central registry.
 */
export function decoratedMethods<M>(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
  key: string | symbol,
): DecoratedMethod<M>[] {
  const out: DecoratedMethod<M>[] = [];
  for (const wrapper of discovery.getProviders()) {
    const instance: unknown = wrapper.instance;
    if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
    for (const method of scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object)) {
      const fn = (instance as Record<string, unknown>)[method];
      if (typeof fn !== 'function') continue;
      const meta = reflector.get<M | undefined>(key, fn as () => unknown);
      if (meta === undefined) continue;
      out.push({ meta, fn: (fn as (...args: unknown[]) => unknown).bind(instance), where: `${instance.constructor.name}.${method}` });
    }
  }
  return out;
}
