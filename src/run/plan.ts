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
export function planOperations(operations: Operation[], profile: ProviderProfile): PlannedOperation[] {
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
      if (a.p.phase === 'delete') return depth(b.p.operation) - depth(a.p.operation) || a.index - b.index;
      return a.index - b.index;
    })
    .map(({ p }) => p);
}
