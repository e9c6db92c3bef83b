import type { LedgerEntry } from './ledger.ts';

/** Ids of `param` among held resources whose other path parameters agree with `within` (children of the same parent). */
export function heldWithin(entries: readonly LedgerEntry[], param: string, within: Record<string, unknown>): string[] {
  return entries
    .filter((e) => e.params[param] !== undefined && Object.entries(e.params).every(([k, v]) => k === param || within[k] === undefined || within[k] === v))
    .map((e) => e.params[param]!);
}
