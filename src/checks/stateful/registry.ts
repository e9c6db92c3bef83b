import type { ProviderProfile, ResourceProfile } from '../../core/profile.ts';
import type { Operation } from '../../spec/types.ts';
import { busyConflict } from './busy-conflict.ts';
import { createEcho } from './create-echo.ts';
import { deletePrecondition } from './delete-precondition.ts';
import { filterSemantics } from './filter-semantics.ts';
import { listContainsCreated } from './list-contains-created.ts';
import { listOmitsDeleted } from './list-omits-deleted.ts';
import { paginationBounds } from './pagination-bounds.ts';
import { paginationLinks } from './pagination-links.ts';
import { paginationWalk } from './pagination-walk.ts';
import { resourceAvailability } from './resource-availability.ts';
import { stateTransitions } from './state-transitions.ts';
import type { ProbeCheck } from './types.ts';
import { updateApplied } from './update-applied.ts';
import { useAfterDelete } from './use-after-delete.ts';

/**
 * The stateful checks that follow a resource the run created (src/run/probes.ts): none of them can judge anything
 * when every create of a type failed, which the run then says (src/run/create-outcomes.ts).
 */
export const LIFECYCLE_PROBE_CHECKS: readonly ProbeCheck[] = [
  resourceAvailability,
  createEcho,
  listContainsCreated,
  listOmitsDeleted,
  updateApplied,
  useAfterDelete,
  stateTransitions,
  busyConflict,
  deletePrecondition,
];

/** The stateful checks of list operations (src/run/pagination-probe.ts). */
export const PAGINATION_PROBE_CHECKS: readonly ProbeCheck[] = [paginationBounds, paginationWalk, paginationLinks, filterSemantics];

/** The generic stateful checks, in report order. Ids are stable: reports, baselines and filters refer to them. */
export const STATEFUL_CHECKS: readonly ProbeCheck[] = [...LIFECYCLE_PROBE_CHECKS, ...PAGINATION_PROBE_CHECKS];

/** The ids of the lifecycle checks (replay needs a full run for them). */
export const LIFECYCLE_CHECK_IDS: readonly string[] = LIFECYCLE_PROBE_CHECKS.map((c) => c.id);

/** Every stateful check a run with this profile may report: the generic ones, then the provider's own. */
export function statefulChecksOf(profile: ProviderProfile): ProbeCheck[] {
  return [...STATEFUL_CHECKS, ...(profile.probeChecks ?? [])];
}

export type { ProbeCheck, ProbeVerdict, ProbeMode } from './types.ts';

/**
 * The lifecycle checks that would have judged a resource type's operations: named when none of its creates
 * succeeded, so that nothing passes quietly.
 */
export function checksFollowing(resource: ResourceProfile, profile: ProviderProfile, operations: readonly Operation[]): string[] {
  const ids = new Set([resource.create, resource.read, resource.delete, ...(resource.list ? [resource.list] : []), ...(resource.update ?? [])]);
  const ops = operations.filter((o) => ids.has(o.id));
  return LIFECYCLE_PROBE_CHECKS.filter((c) => ops.some((o) => c.relevantTo(o, profile, 'full'))).map((c) => c.id);
}
