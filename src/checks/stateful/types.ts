import type { ProviderProfile } from '../../providers/types.ts';
import type { Operation } from '../../spec/types.ts';

/** The verdict of a stateful check: failures where the docs are explicit, warnings where they are silent. */
export interface ProbeVerdict {
  failures: string[];
  warnings?: string[];
}

/** What a run may send: a read-only run sends only GET and HEAD. */
export type ProbeMode = 'full' | 'read-only';

/**
 * A stateful check: a probe in src/run/ (or a provider's probe) gathers what several requests showed into an
 * observation; `judge` decides, purely. `relevantTo` says where a run can judge it: --list, the run-start event
 * (the report matrix) and the create-outcomes warning read it.
 */
export interface ProbeCheck<O = any> {
  /** Stable: reports, baselines and filters refer to it. */
  id: string;
  description: string;
  /** Whether a run in this mode can judge the check on this operation (read by --list, run-start, the matrix). */
  relevantTo(operation: Operation, profile: ProviderProfile, mode: ProbeMode): boolean;
  /** Pure: judges what a probe recorded. No I/O. */
  judge(observation: O): ProbeVerdict;
}

/** A verdict with these failures (none: passed). */
export function verdict(failures: string[]): ProbeVerdict {
  return { failures };
}
