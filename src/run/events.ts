import type { Exchange } from '../checks/types.ts';
import type { Operation } from '../spec/types.ts';

/** `failures` break an explicit line of the docs; `warnings` are findings where the docs are silent (never a failed check). */
export interface CheckOutcome {
  check: string;
  failures: string[];
  warnings?: string[];
}

/** What the engine reports while it runs. Reporters and progress printers consume these; the engine never knows them. */
export type RunEvent =
  | { type: 'run-start'; provider: string; target: string; seed: number; operations: Operation[]; checks: string[]; startedAt: string }
  | { type: 'operation-start'; operation: Operation }
  | { type: 'exchange'; exchange: Exchange; outcomes: CheckOutcome[] }
  | { type: 'operation-end'; operation: Operation; durationMs: number }
  /** The outcome of a stateful (lifecycle) check, judged over several requests; `exchange` is the one that shows it. */
  | { type: 'probe'; operation: Operation; check: string; failures: string[]; warnings?: string[]; exchange?: Exchange; lifecycle?: LifecycleMark }
  /** The smallest failing case fast-check found for a check: replays with `seed` and `path`. */
  | { type: 'shrunk'; operation: Operation; check: string; exchange: Exchange; message: string; seed: number; path: string }
  /** `prominent`: part of the run could not happen (no create succeeded): reports put it first. */
  | { type: 'warning'; message: string; prominent?: boolean }
  /** Generating an operation's data ran out of its time budget: it ran with fewer examples (src/generate/bounded.ts). */
  | { type: 'budget-exceeded'; operation: Operation; message: string }
  /** A 429 or 503 answer: retried after `waitMs`, or (waitMs undefined) the retry budget is spent and the answer goes to the checks. */
  | { type: 'transient'; status: number; attempt: number; waitMs: number | undefined; rateLimit: Record<string, string> }
  /** `requests`: every request the run put on the wire (retries, polls, cleanup and the requests before the session included). */
  | { type: 'run-end'; durationMs: number; interrupted: boolean; stopReason?: string; requests?: number };

export type EventSink = (event: RunEvent) => void;

/** A resource the lifecycle probes saw become ready after its create (readyMs), or gone after its delete (deletedMs). */
export interface LifecycleMark {
  resource: string;
  id?: string;
  readyMs?: number;
  deletedMs?: number;
}
