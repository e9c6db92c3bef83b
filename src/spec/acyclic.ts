import type { JsonSchema } from './types.ts';

/**
 * A dereferenced schema that refers to itself (a comment tree, error details that nest) is a cyclic object graph,
 * which ajv cannot compile and JSON cannot hold. `acyclic` turns it back into a tree: each object that is its own
 * descendant goes once into `$defs` (`definitions` for draft-07) under the root and every occurrence becomes a
 * `$ref` to it, so validation is exactly that of the cyclic schema. Schemas without cycles come back unchanged
 * (the same object); shared, non-cyclic parts stay shared.
 */
export function acyclic(schema: JsonSchema, defsKeyword: '$defs' | 'definitions' = '$defs'): JsonSchema {
  if (schema === null || typeof schema !== 'object') return schema;
  const targets = cycleTargets(schema);
  if (targets.size === 0) return schema;
  const names = new Map<object, string>([...targets].map((t, i) => [t, `cycle${i}`]));
  const copies = new Map<object, unknown>();
  const refTo = (target: object) => ({ $ref: `#/${defsKeyword}/${names.get(target)}` });
  // `copy` of an object that is a target gives its body (for $defs); occurrences inside point at it.
  const copy = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const done = copies.get(value);
    if (done !== undefined) return done;
    const out: unknown = Array.isArray(value) ? [] : {};
    copies.set(value, out);
    for (const [key, child] of Object.entries(value)) (out as Record<string, unknown>)[key] = child !== null && typeof child === 'object' && targets.has(child) ? refTo(child) : copy(child);
    return out;
  };
  const defs = Object.fromEntries([...targets].map((t) => [names.get(t)!, copy(t)]));
  const root = targets.has(schema) ? { allOf: [refTo(schema)] } : (copy(schema) as JsonSchema);
  return { ...root, [defsKeyword]: { ...((root[defsKeyword] as object | undefined) ?? {}), ...defs } };
}

/** Whether a value holds a cycle (a report, an event, a schema). */
export function isCyclic(value: unknown): boolean {
  return value !== null && typeof value === 'object' && cycleTargets(value).size > 0;
}

/** The objects reached again from inside themselves: an iterative depth-first walk, so deep schemas cannot overflow the stack. */
function cycleTargets(root: object): Set<object> {
  const targets = new Set<object>();
  const onPath = new Set<object>();
  const finished = new Set<object>();
  const stack: { node: object; children: object[]; next: number }[] = [];
  const enter = (node: object) => {
    onPath.add(node);
    stack.push({ node, children: Object.values(node).filter((c): c is object => c !== null && typeof c === 'object'), next: 0 });
  };
  enter(root);
  while (stack.length > 0) {
    const frame = stack.at(-1)!;
    if (frame.next >= frame.children.length) {
      stack.pop();
      onPath.delete(frame.node);
      finished.add(frame.node);
      continue;
    }
    const child = frame.children[frame.next++]!;
    if (onPath.has(child)) targets.add(child);
    else if (!finished.has(child)) enter(child);
  }
  return targets;
}
