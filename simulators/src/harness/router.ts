import { type SimRequest, type SimResponse } from './http.js';

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface Route {
  method: string;
  /** `/2/tweets/:id`; a `:name` segment matches one path segment, percent-decoded. */
  pattern: string;
  handler: Handler;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: Route[]) {
    this.routes = routes.map((route) => {
      const names: string[] = [];
      const source = route.pattern
        .split('/')
        .map((segment) => {
          if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(segment.slice(1));
          return '([^/]+)';
        })
        .join('/');
      return { ...route, regex: new RegExp(`^${source}/?$`), names };
    });
  }

  /** The handler for a request, or `methodNotAllowed` when only the path matched. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | 'methodNotAllowed' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const found = route.regex.exec(path);
      if (!found) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = safeDecode(found[i + 1] ?? '');
      });
      return { handler: route.handler, params };
    }
    return pathMatched ? 'methodNotAllowed' : undefined;
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
