import { existsSync, rmSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { providerByName } from '../providers/registry.ts';
import type { EventSink } from './events.ts';
import { Ledger, type LedgerEntry } from './ledger.ts';
import { prepareRun } from './orchestrate.ts';
import { Session } from './session.ts';

export interface CleanupResult {
  deleted: number;
  remaining: LedgerEntry[];
}

/**
 * Deletes what an interrupted or crashed run left in its ledger, polling until each resource is gone.
 * Only the ledger's own entries are touched. What cannot be deleted stays in the ledger file; a file that is
 * not a ledger is refused and left as it is.
 */
export async function cleanupLedger(file: string, env: NodeJS.ProcessEnv, onEvent: EventSink = () => {}): Promise<CleanupResult> {
  if (!existsSync(file)) throw new UsageError(`ledger file not found: ${file}`, 'pass the ledger.json from the interrupted run\'s report directory');
  const entries = Ledger.read(file);
  const before = entries.length;
  const remaining: LedgerEntry[] = [];
  const groups = new Map<string, LedgerEntry[]>();
  for (const e of entries) groups.set(`${e.provider} ${e.target}`, [...(groups.get(`${e.provider} ${e.target}`) ?? []), e]);
  for (const group of groups.values()) {
    const { provider, target } = group[0]!;
    const profile = providerByName(provider);
    // The provider's path variables (ClickHouse's organizationId) come from the ledger: each entry holds its path parameters.
    const variables: Record<string, string> = {};
    for (const name of profile.variables ?? []) {
      const value = group.find((e) => e.params[name] !== undefined)?.params[name];
      if (value !== undefined) variables[name] = value;
    }
    const { config } = await prepareRun({ profile, target, examples: 0, seed: 0, variables, reportDir: '.', env });
    const ledger = new Ledger(`${file}.${provider}.tmp`, group);
    const session = new Session(config, onEvent, ledger);
    await session.finish();
    remaining.push(...ledger.list());
    rmSync(ledger.file!, { force: true });
  }
  new Ledger(file, remaining);
  return { deleted: before - remaining.length, remaining };
}
