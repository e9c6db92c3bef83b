import type { HttpResponse } from '../http/types.ts';
import type { ProviderProfile } from '../providers/types.ts';
import type { Operation } from '../spec/types.ts';

/** Keeps the ids an answer hands out (the profile's harvest rules) for later requests; `fits` drops ids their parameter refuses. */
export function harvestIds(profile: ProviderProfile, ids: Map<string, string[]>, fits: (param: string, id: string) => boolean, operation: Operation, response: HttpResponse | undefined): void {
  if (!response || response.status >= 300 || !profile.harvest) return;
  for (const [param, rule] of Object.entries(profile.harvest)) {
    if (!rule.operationIds.includes(operation.id)) continue;
    const id = rule.id(response.json);
    if (id === undefined || !fits(param, id)) continue;
    const list = ids.get(param) ?? [];
    list.push(id);
    ids.set(param, list);
  }
}

/** Whether two sets of path parameters name the same resource. */
export function sameParams(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
}

/** Runs tasks with at most `concurrency` at a time. */
export async function runConcurrently(tasks: (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), tasks.length) }, worker));
}
