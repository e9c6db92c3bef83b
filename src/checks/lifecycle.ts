import type { LifecycleStates } from '../core/profile.ts';

/**
 * Helpers of the stateful lifecycle checks (src/checks/stateful/): pure functions over what the runner observed
 * across several requests. The registry there holds the checks and their ids.
 */

/**
 * Only documented states appear, and in a documented order: transitional states lead to ready (or failed);
 * once ready, a resource does not fall back to a transitional state unless something was changed.
 */
export function stateSequenceFailures(observed: string[], states: LifecycleStates, allowRegress = false): string[] {
  const known = new Set([...states.ready, ...states.transitional, ...states.failed, ...states.deleting]);
  const failures: string[] = [];
  const unknown = [...new Set(observed.filter((s) => !known.has(s)))];
  if (unknown.length > 0) failures.push(`undocumented state ${unknown.map((s) => `'${s}'`).join(', ')} (documented: ${[...known].join(', ')})`);
  const firstReady = observed.findIndex((s) => states.ready.includes(s));
  if (!allowRegress && firstReady >= 0) {
    const regress = observed.slice(firstReady).find((s) => states.transitional.includes(s));
    if (regress) failures.push(`state went from ${observed[firstReady]} back to ${regress} although nothing was changed`);
  }
  const deleting = observed.findIndex((s) => states.deleting.includes(s));
  if (deleting >= 0) {
    const after = observed.slice(deleting).find((s) => !states.deleting.includes(s));
    if (after) failures.push(`state went from ${observed[deleting]} to ${after} during a delete`);
  }
  return failures;
}

/**
 * Differences between what was sent and what is read back. Tolerant where representations legitimately differ:
 * fields the read leaves out (documented defaults, write-only fields) and values whose shape differs by design
 * (an {add, remove} patch against a list) are not compared.
 */
export function echoMismatches(sent: unknown, received: unknown, path = '', ignore: readonly string[] = []): string[] {
  if (ignore.includes(path)) return [];
  if (sent === undefined || received === undefined) return [];
  if (Array.isArray(sent) && Array.isArray(received)) {
    if (sent.every(isScalar) && received.every(isScalar)) {
      const missing = sent.filter((v) => !received.some((r) => sameScalar(v, r)));
      return missing.length > 0 ? [`${path || '(root)'}: sent ${JSON.stringify(sent)}, read ${JSON.stringify(received)}`] : [];
    }
    if (sent.length !== received.length) return [`${path || '(root)'}: sent ${sent.length} items, read ${received.length}`];
    return sent.flatMap((v, i) => echoMismatches(v, received[i], `${path}/${i}`, ignore));
  }
  if (isObject(sent) && isObject(received)) {
    return Object.keys(sent).flatMap((k) => echoMismatches(sent[k], received[k], `${path}/${k}`, ignore));
  }
  if (isScalar(sent) && isScalar(received)) {
    return sameScalar(sent, received) ? [] : [`${path || '(root)'}: sent ${JSON.stringify(sent)}, read ${JSON.stringify(received)}`];
  }
  return [];
}

function isScalar(v: unknown): v is string | number | boolean | null {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

function sameScalar(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) < 1e-9);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Marks a request property whose value need not come back as sent (generated, changed by actions, tier-dependent). */
export const NO_ECHO = 'x-conformance-echo';

/**
 * JSON pointers of the values in a request body whose schema says `x-conformance-echo: false`: create-echo and
 * update-applied do not compare them. Follows properties, array items and every allOf/oneOf/anyOf branch.
 */
export function noEchoPointers(schema: unknown, body: unknown, path = '', depth = 0): string[] {
  if (!isObject(schema) || depth > 16) return [];
  if (schema[NO_ECHO] === false) return [path];
  const out: string[] = [];
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    if (Array.isArray(schema[key])) for (const branch of schema[key] as unknown[]) out.push(...noEchoPointers(branch, body, path, depth + 1));
  }
  if (isObject(body) && isObject(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties)) if (name in body) out.push(...noEchoPointers(sub, body[name], `${path}/${name}`, depth + 1));
  }
  if (Array.isArray(body) && schema.items !== undefined) body.forEach((item, i) => out.push(...noEchoPointers(schema.items, item, `${path}/${i}`, depth + 1)));
  return [...new Set(out)];
}
