import { RequestMethod, type INestApplicationContext } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ROUTE_SPEC, type RouteSpec } from './route.decorator.js';

export interface CatalogEntry {
  method: string;
  path: string;
  handler: string;
  spec: RouteSpec | undefined;
  /** The success status Nest answers with: @HttpCode, else 201 for POST and 200 for the rest. */
  status: number;
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
      const httpCode = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
      out.push({
        method: RequestMethod[method],
        path: joinPath(base, path),
        handler: `${instance.constructor.name}.${name}`,
        spec: reflector.get<RouteSpec | undefined>(ROUTE_SPEC, handler as never),
        status: httpCode ?? (method === RequestMethod.POST ? 201 : 200),
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
  // The document's success status is the one Nest answers with; a spec that says otherwise is
  // the drift that mistypes generated clients.
  const drift = routeCatalog(app).filter((r) => r.spec?.status !== undefined && r.spec.status !== r.status);
  if (drift.length > 0) {
    throw new Error(`@Route status differs from the status answered: ${drift.map((r) => `${r.method} ${r.path} says ${r.spec?.status}, answers ${r.status}`).join(', ')}`);
  }
}
