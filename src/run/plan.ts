import type { ProviderProfile, ResourceProfile } from '../providers/types.ts';
import type { Operation } from '../spec/types.ts';

export type Phase = 'create' | 'exercise' | 'delete';

export interface PlannedOperation {
  operation: Operation;
  phase: Phase;
  /** The resource this operation creates or deletes, when it does. */
  resource?: ResourceProfile;
}

const depth = (op: Operation) => op.path.split('/').length;

/**
 * Orders operations so that ids exist before they are needed: creates first (parents before children),
 * then every other operation in spec order, then deletes (children before parents).
 */
export type RunMode = 'read-only' | 'full';

/** Methods that change nothing, the only ones a read-only run sends. */
export const SAFE_METHODS = new Set(['get', 'head']);

export function planOperations(operations: Operation[], profile: ProviderProfile, mode: RunMode = 'full'): PlannedOperation[] {
  if (mode === 'read-only') operations = operations.filter((op) => SAFE_METHODS.has(op.method));
  const creates = new Map(profile.resources.map((r) => [r.create, r]));
  const deletes = new Map(profile.resources.map((r) => [r.delete, r]));
  const planned: PlannedOperation[] = operations.map((operation) => {
    if (creates.has(operation.id)) return { operation, phase: 'create', resource: creates.get(operation.id) };
    if (deletes.has(operation.id)) return { operation, phase: 'delete', resource: deletes.get(operation.id) };
    return { operation, phase: 'exercise' };
  });
  const rank = { create: 0, exercise: 1, delete: 2 } as const;
  return planned
    .map((p, index) => ({ p, index }))
    .sort((a, b) => {
      if (a.p.phase !== b.p.phase) return rank[a.p.phase] - rank[b.p.phase];
      if (a.p.phase === 'create') return depth(a.p.operation) - depth(b.p.operation) || a.index - b.index;
      if (a.p.phase === 'delete') return depth(b.p.operation) - depth(a.p.operation) || refersFirst(a.p.resource, b.p.resource) || a.index - b.index;
      return a.index - b.index;
    })
    .map(({ p }) => p);
}

/** Negative when `a` refers to `b` (so it is deleted first), positive the other way round. */
function refersFirst(a: ResourceProfile | undefined, b: ResourceProfile | undefined): number {
  if (a && b && a.refersTo?.includes(b.name)) return -1;
  if (a && b && b.refersTo?.includes(a.name)) return 1;
  return 0;
}

/** A person-readable plan: what will be created, what is sent, and roughly how many requests. */
export function describePlan(plan: PlannedOperation[], options: { examples: number; maxResources: number; mode: RunMode; provider: string }, checksFor?: (p: PlannedOperation) => string[]): string[] {
  const creates = plan.filter((p) => p.phase === 'create' && p.resource);
  const perType = Math.min(options.examples, Number.isFinite(options.maxResources) ? Math.max(1, options.maxResources - (creates.length - 1)) : options.examples);
  const lines = [`plan for ${options.provider} (${options.mode}): ${plan.length} operations`];
  // Inferred profiles name resources after their (plural) collection: no second plural s.
  const plural = (name: string) => (perType === 1 || name.endsWith('s') ? name : `${name}s`);
  for (const p of creates) lines.push(`  create up to ${perType} ${plural(p.resource!.name)} with ${p.operation.id} (deleted again by the run)`);
  const writes = plan.filter((p) => !SAFE_METHODS.has(p.operation.method)).length;
  lines.push(`  ${plan.length - writes} read operations, ${writes} write operations; about ${plan.length * (options.examples + 1)} requests plus polling`);
  if (checksFor) {
    for (const p of plan) lines.push(`  ${p.phase.padEnd(8)} ${p.operation.method.toUpperCase().padEnd(6)} ${p.operation.path} (${p.operation.id}): ${checksFor(p).join(', ')}`);
  }
  return lines;
}
