import { readFileSync } from 'node:fs';
import { UsageError, errorMessage } from '../errors.ts';
import type { ConformanceReport } from '../report/model.ts';
import type { Session } from '../run/session.ts';
import type { RunMode } from '../run/plan.ts';
import { genericProfile } from '../providers/generic.ts';
import { providerByName } from '../providers/registry.ts';
import type { ProviderProfile } from '../providers/types.ts';
import { loadSpec } from '../spec/load.ts';

/** Where a command writes: stdout and stderr lines. */
export interface Io {
  out(s: string): void;
  err(s: string): void;
}

export { parseFlags } from './flags.ts';

export function integer(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer of at least ${min}, not '${value}'`, `for example --${name} ${Math.max(min, fallback)}`);
  return n;
}

export { parseVars } from './vars.ts';

/** Reads a conformance.json written by `conformance run`. */
export function readReport(file: string): ConformanceReport {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read report ${file}: ${errorMessage(error)}`, 'pass a conformance.json written by conformance run');
  }
  if (!data || typeof data !== 'object' || !Array.isArray((data as ConformanceReport).results) || typeof (data as ConformanceReport).run !== 'object') {
    throw new UsageError(`${file} is not a conformance report`, 'pass a conformance.json written by conformance run');
  }
  return data as ConformanceReport;
}

/**
 * Runs `body` with SIGINT and SIGTERM interrupting the sessions it registers (so that they still clean up),
 * and returns the signal that arrived, if any.
 */
export async function withSignals<T>(io: Io, body: (onSession: (s: Session) => void) => Promise<T>): Promise<{ value: T; signal?: NodeJS.Signals }> {
  const sessions: Session[] = [];
  let signal: NodeJS.Signals | undefined;
  const onSignal = (s: NodeJS.Signals) => {
    signal = s;
    io.err(`${s}: stopping, cleaning up what this command created...`);
    for (const session of sessions) session.interrupt();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const value = await body((s) => sessions.push(s));
    return { value, signal };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function signalExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 130 : 143;
}

/** The profile --provider names, else one inferred from the --spec document (generic mode); undefined when neither is given. */
export async function profileFrom(provider: string | undefined, spec: string | undefined): Promise<ProviderProfile | undefined> {
  if (provider) return providerByName(provider);
  if (spec) return genericProfile(await loadSpec(spec), spec);
  return undefined;
}

/** `--mode`: read-only or full (undefined: the run decides from the target). */
export function parseMode(value: string | undefined): RunMode | undefined {
  if (value !== undefined && value !== 'read-only' && value !== 'full') throw new UsageError(`--mode must be read-only or full, not '${value}'`, 'for example --mode read-only');
  return value;
}
