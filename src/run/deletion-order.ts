import type { ResourceProfile } from '../providers/types.ts';
import type { LedgerEntry } from './ledger.ts';

/**
 * The order in which a run's leftovers are deleted: children before parents, and of two types at one depth the one
 * created later first (PostgreSQL databases before the users that own them). Each wave holds the resources of one
 * type, deleted side by side; waves follow one another, so deleting N slow resources of a type takes one wait, not N.
 */
export function deletionWaves(entries: readonly LedgerEntry[], resources: readonly ResourceProfile[]): LedgerEntry[][] {
  const byType = new Map<string, LedgerEntry[]>();
  for (const entry of entries) {
    const key = `${entry.path.split('/').length} ${entry.resource}`;
    byType.set(key, [...(byType.get(key) ?? []), entry]);
  }
  const rank = (key: string): [number, number] => {
    const [depth, name] = key.split(' ') as [string, string];
    return [Number(depth), resources.findIndex((r) => r.name === name)];
  };
  return [...byType.keys()]
    .sort((a, b) => {
      const [da, ia] = rank(a);
      const [db, ib] = rank(b);
      return db - da || ib - ia;
    })
    .map((key) => byType.get(key)!);
}
