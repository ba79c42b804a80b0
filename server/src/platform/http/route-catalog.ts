import { RequestMethod, type INestApplicationContext } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ROUTE_SPEC, type RouteSpec } from './route.decorator.js';

export interface CatalogEntry {
  method: string;
  path: string;
  handler: string;
  spec: RouteSpec | undefined;
}

function joinPath(...parts: (string | string[] | undefined)[]): string {
  const segs = parts.flatMap((p) => (Array.isArray(p) ? p.slice(0, 1) : [p])).filter((p): p is string => !!p && p !== '/');
  return `/${segs.map((s) => s.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
}

/** Every HTTP route of the application with its @Route spec, read from Nest's metadata. */
export function routeCatalog(app: INestApplicationContext): CatalogEntry[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const out: CatalogEntry[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance) continue;
    const proto = Object.getPrototypeOf(instance) as object;
    const base = Reflect.getMetadata(PATH_METADATA, instance.constructor) as string | string[] | undefined;
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = (proto as Record<string, unknown>)[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue;
      out.push({
        method: RequestMethod[method],
        path: joinPath(base, path),
        handler: `${instance.constructor.name}.${name}`,
        spec: reflector.get<RouteSpec | undefined>(ROUTE_SPEC, handler as never),
      });
    }
  }
  return out;
}

/** Boot refuses an application with a route that does not declare who may call it. */
export function assertEveryRouteDeclared(app: INestApplicationContext): void {
  const missing = routeCatalog(app).filter((r) => !r.spec);
  if (missing.length > 0) {
    throw new Error(`routes without @Route (permission and schemas): ${missing.map((r) => `${r.method} ${r.path} (${r.handler})`).join(', ')}`);
  }
}
