import { existsSync, rmSync } from 'node:fs';
import { UsageError, errorMessage } from '../errors.ts';
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
 * Only the ledger's own entries are touched. What cannot be deleted stays in the ledger file.
 */
export async function cleanupLedger(file: string, env: NodeJS.ProcessEnv, onEvent: EventSink = () => {}): Promise<CleanupResult> {
  if (!existsSync(file)) throw new UsageError(`ledger file not found: ${file}`, 'pass the ledger.json from the interrupted run\'s report directory');
  let entries: LedgerEntry[];
  try {
    entries = Ledger.read(file);
  } catch (error) {
    throw new UsageError(`ledger ${file} is not readable: ${errorMessage(error)}`, 'pass a ledger.json written by conformance run');
  }
  const before = entries.length;
  const remaining: LedgerEntry[] = [];
  const groups = new Map<string, LedgerEntry[]>();
  for (const e of entries) groups.set(`${e.provider} ${e.target}`, [...(groups.get(`${e.provider} ${e.target}`) ?? []), e]);
  for (const group of groups.values()) {
    const { provider, target } = group[0]!;
    const { config } = await prepareRun({ profile: providerByName(provider), target, examples: 0, seed: 0, variables: {}, reportDir: '.', env });
    const ledger = new Ledger(`${file}.${provider}.tmp`, group);
    const session = new Session(config, onEvent, ledger);
    await session.finish();
    remaining.push(...ledger.list());
    rmSync(ledger.file, { force: true });
  }
  new Ledger(file, remaining);
  return { deleted: before - remaining.length, remaining };
}
