import type { Operation } from './types.ts';

type Doc = Record<string, any>;

/** A server object's URL with its variables at their defaults. */
export function expandServerUrl(server: Doc): string {
  let url = String(server?.url ?? '');
  for (const [name, variable] of Object.entries<Doc>(server?.variables ?? {})) {
    url = url.replaceAll(`{${name}}`, String(variable?.default ?? ''));
  }
  return url;
}

/** The `servers` an operation declares itself (or its path item does), expanded; undefined when it declares none. */
export function declaredServers(pathItem: Doc, operation: Doc): string[] | undefined {
  const servers = Array.isArray(operation.servers) && operation.servers.length > 0 ? operation.servers : Array.isArray(pathItem.servers) && pathItem.servers.length > 0 ? pathItem.servers : undefined;
  return servers?.map(expandServerUrl);
}

const LOOPBACK = /^(localhost|127(?:\.\d+){3}|\[::1\])$/i;

/**
 * Where an operation's requests go. The document's top-level `servers` are replaced by --target; an operation
 * (or path item) that declares its own `servers` is sent to the first of them:
 * - a relative URL (`/upload-api`, `v2`) is resolved against --target as a URL reference (`v2` goes below the
 *   target's path, `/upload-api` replaces it);
 * - an absolute URL on the same host as --target, or on this machine when --target is too, is used as it is;
 * - an absolute URL on another host is not sent to (the run only talks to the target it was given): the request
 *   goes to --target and `warning` says so.
 */
export function operationBase(operation: Pick<Operation, 'id' | 'servers'>, target: string): { base: string; warning?: string } {
  const fallback = target.replace(/\/+$/, '');
  const declared = operation.servers?.[0];
  if (declared === undefined) return { base: fallback };
  let targetUrl: URL;
  try {
    targetUrl = new URL(target);
  } catch {
    return { base: fallback };
  }
  if (!/^[a-z][a-z0-9+.-]*:/i.test(declared)) {
    const resolved = new URL(declared, `${fallback}/`);
    return { base: resolved.toString().replace(/\/+$/, '') };
  }
  let server: URL;
  try {
    server = new URL(declared);
  } catch {
    return { base: fallback, warning: `${operation.id}: its server ${declared} is no valid URL; sent to --target` };
  }
  const sameHost = server.hostname.toLowerCase() === targetUrl.hostname.toLowerCase();
  const bothLocal = LOOPBACK.test(server.hostname) && LOOPBACK.test(targetUrl.hostname);
  if (sameHost || bothLocal) return { base: server.toString().replace(/\/+$/, '') };
  return { base: fallback, warning: `${operation.id}: declares its own server ${server.origin}, another host than --target; sent to --target instead (run it with --target ${server.origin}${server.pathname.replace(/\/+$/, '')} --include ${operation.id} to test it there)` };
}
