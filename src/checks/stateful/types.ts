/** The stateful-check types live in src/core/profile.ts (a profile lists its probe checks); re-exported here. */
import type { ProbeVerdict } from '../../core/profile.ts';
export type { ProbeCheck, ProbeMode, ProbeVerdict } from '../../core/profile.ts';

/** A verdict with these failures (none: passed). */
export function verdict(failures: string[]): ProbeVerdict {
  return { failures };
}
