import type { ApiSpec, Operation } from './types.ts';

const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * Whether an operation matches a selector: `tag:NAME`, an HTTP method (`GET`), a path glob (`/clusters/*`,
 * `**` crosses segments), or an operationId (globs allowed).
 */
export function matchesSelector(op: Operation, selector: string): boolean {
  if (selector.startsWith('tag:')) return op.tags.includes(selector.slice(4));
  if (METHODS.has(selector.toUpperCase()) && selector === selector.toUpperCase()) return op.method.toUpperCase() === selector;
  if (selector.startsWith('/')) return glob(selector, '/').test(op.path);
  return glob(selector, '').test(op.id);
}

function glob(pattern: string, separator: string): RegExp {
  const single = separator ? `[^${separator}]*` : '.*';
  const body = pattern.replace(/[.+^$()|[\]\\{}]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, single).replace(/\?/g, '.').replace(/\u0000/g, '.*');
  return new RegExp(`^${body}$`);
}

/** The spec with only the operations that match an include (if any are given) and no exclude. */
export function selectOperations(spec: ApiSpec, include: string[] = [], exclude: string[] = []): ApiSpec {
  const operations = spec.operations.filter((op) => (include.length === 0 || include.some((s) => matchesSelector(op, s))) && !exclude.some((s) => matchesSelector(op, s)));
  return { ...spec, operations };
}
