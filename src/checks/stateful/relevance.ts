import type { ProviderProfile, ResourceProfile } from '../../core/profile.ts';
import type { Operation } from '../../spec/types.ts';
import type { ProbeMode } from './types.ts';

/**
 * The resources whose lifecycle a run follows through this operation: only a full run creates, changes and
 * deletes, so a read-only run follows none.
 */
export function lifecycleResources(profile: ProviderProfile, mode: ProbeMode, where: (r: ResourceProfile) => boolean): ResourceProfile[] {
  return mode === 'full' ? profile.resources.filter(where) : [];
}

/** Whether an operation pages with the profile's limit and offset parameters (the pagination probes' scope). */
export function pagedOperation(operation: Operation, profile: ProviderProfile): boolean {
  const { pagination } = profile;
  if (!pagination) return false;
  const names = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  return names.includes(pagination.limit) && names.includes(pagination.offset);
}

/** Whether the plan runs this operation as a change (not as some resource's create or delete) of a followed resource. */
export function updatesOf(operation: Operation, profile: ProviderProfile, mode: ProbeMode): ResourceProfile[] {
  if (profile.resources.some((r) => r.create === operation.id || r.delete === operation.id)) return [];
  return lifecycleResources(profile, mode, (r) => r.update?.includes(operation.id) === true);
}
