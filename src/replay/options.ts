import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import type { RequestInput } from '../generate/request.ts';
import type { ProviderProfile } from '../providers/types.ts';
import type { ConformanceReport } from '../report/model.ts';
import { Ledger } from '../run/ledger.ts';
import { isLoopback } from '../run/orchestrate.ts';
import type { RunMode } from '../run/plan.ts';
import type { Session } from '../run/session.ts';
import { loadSpec } from '../spec/load.ts';
import type { Operation } from '../spec/types.ts';
import type { FoundFailure } from './find.ts';
import { rebuildRequest } from './rebuild.ts';

export interface ReplayOptions {
  report: ConformanceReport;
  found: FoundFailure;
  profile: ProviderProfile;
  specFile?: string;
  /** undefined: start the provider's reference server. */
  target: string | undefined;
  /** The target the report was run against (to find the path below it). */
  originalTarget: string | undefined;
  env: NodeJS.ProcessEnv;
  variables: Record<string, string>;
  timeoutMs?: number;
  readyTimeoutMs?: number;
  examples: number;
  allowWrites?: boolean;
  /** Notes for the user while the replay runs. */
  log: (line: string) => void;
  onSession?: (session: Session) => void;
}

export interface ReplayOutcome {
  /** still-fails: the check fails again; fixed: it passes; inconclusive: the replay did not reach the check. */
  verdict: 'still-fails' | 'fixed' | 'inconclusive';
  /** The failure messages of the replay (the first is shown). */
  messages: string[];
  /** Whether a failure with the same id recurred (shown as extra; the verdict never depends on it). */
  sameId: boolean;
  curl: string;
  /** The curl line is the recorded one (the replay produced no failing request to show). */
  curlIsRecorded?: boolean;
  /** For inconclusive: why. */
  reason?: string;
}

/** Whether an operation's path names resources (ids a run creates) rather than only user-supplied values or enums. */
export function addressesResources(operation: Operation, profile: ProviderProfile): boolean {
  return operation.parameters.some((p) => p.in === 'path' && !profile.variables?.includes(p.name) && !Array.isArray(p.schema.enum));
}

export async function specOperations(options: ReplayOptions): Promise<Operation[]> {
  return (await loadSpec(options.specFile ?? options.profile.spec)).operations;
}

export function modeFor(options: ReplayOptions, writes: boolean, what: string): RunMode {
  if (options.target === undefined || isLoopback(options.target) || !writes) return writes ? 'full' : 'read-only';
  if (!options.allowWrites) throw new UsageError(`${what} would change resources on ${new URL(options.target).host}`, 'add --allow-writes to confirm');
  return 'full';
}

export async function finishSession(session: Session | undefined, dir: string, log: (line: string) => void): Promise<void> {
  if (session) await session.finish();
  const ledger = join(dir, 'ledger.json');
  const left = existsSync(ledger) ? Ledger.read(ledger) : [];
  if (left.length > 0) log(`could not delete ${left.map((e) => `${e.resource} ${e.path}`).join(', ')}: run conformance cleanup --ledger ${ledger}`);
  else rmSync(dir, { recursive: true, force: true });
}

/**
 * The values of user-supplied path parameters (an organization id) as the recorded request used them, for a target
 * given on the command line; --var and CONFORMANCE_VAR_* win. A freshly started reference server brings its own.
 */
export function withRecordedVariables(options: ReplayOptions, operation: Operation): Record<string, string> {
  if (options.target === undefined || !options.found.failure.request.url) return options.variables;
  let recorded: RequestInput;
  try {
    recorded = rebuildRequest(options.found.failure, operation, options.originalTarget).input;
  } catch {
    return options.variables;
  }
  const values = Object.fromEntries((options.profile.variables ?? []).filter((name) => typeof recorded.path[name] === 'string').map((name) => [name, recorded.path[name] as string]));
  return { ...values, ...options.variables };
}

/** An operationId as a selector (selectors treat * and ? as globs: such characters match themselves or any one character). */
export function exactSelector(operationId: string): string {
  return operationId.replace(/[*?]/g, '?');
}
