import fc from 'fast-check';
import type { Check, CheckContext, Exchange } from '../checks/types.ts';
import type { RequestInput } from '../generate/request.ts';
import type { Operation } from '../spec/types.ts';
import { seedFor } from './cases.ts';
import type { RunConfig } from './config.ts';
import type { CheckOutcome, EventSink } from './events.ts';

export interface ShrinkHost {
  readonly checkContext: CheckContext;
  /** Turns generated data into the request the run sends for case `index` (ids filled in, profile rules applied). */
  addressed(operation: Operation, generated: RequestInput, index: number): RequestInput;
  /** The operation's request arbitrary, the one its cases were generated from. */
  arbitraryFor(operation: Operation): fc.Arbitrary<RequestInput>;
  /** Sends a request and returns the exchange, without reporting it. */
  trial(operation: Operation, input: RequestInput): Promise<Exchange>;
}

export interface Shrunk {
  input: RequestInput;
  exchange: Exchange;
  /** fast-check's replay path: with the run's seed, it regenerates exactly this case. */
  path: string;
  seed: number;
  message: string;
}

/**
 * Replays the failing case from the same seed (fast-check starts at its path; the cases before it are not re-sent),
 * then lets fast-check shrink it
 * to the smallest request that still fails the check. Bounded in time; undefined if it no longer fails.
 */
export async function shrinkFailure(host: ShrinkHost, operation: Operation, check: Check, seed: number, index: number, budgetMs: number): Promise<Shrunk | undefined> {
  let last: { input: RequestInput; exchange: Exchange; message: string } | undefined;
  const property = fc.asyncProperty(host.arbitraryFor(operation), async (generated) => {
    const input = host.addressed(operation, JSON.parse(JSON.stringify(generated)) as RequestInput, index);
    const exchange = await host.trial(operation, input);
    if (!check.applies(exchange, host.checkContext)) return true;
    const failures = check.run(exchange, host.checkContext);
    if (failures.length === 0) return true;
    last = { input, exchange, message: failures[0]! };
    return false;
  });
  const result = await fc.check(property, { seed, path: String(index), numRuns: 1, interruptAfterTimeLimit: budgetMs, markInterruptAsFailure: false });
  if (!result.failed || !last || result.counterexamplePath === null) return undefined;
  // The last failing trial is the shrunk counterexample: fast-check stops shrinking at the last failure it saw.
  return { ...last, path: result.counterexamplePath, seed };
}

export interface ShrinkTargetsHost extends ShrinkHost {
  readonly config: RunConfig;
  readonly emit: EventSink;
  readonly checks: readonly Check[];
  readonly isInterrupted: boolean;
  /** What the checks said about an exchange the run sent. */
  outcomesOf(exchange: Exchange): readonly CheckOutcome[] | undefined;
}

/** The first failing case of each check on an operation, shrunk once the operation's cases are done. */
export class ShrinkTargets {
  private readonly targets = new Map<string, { check: Check; index: number }>();

  constructor(private readonly host: ShrinkTargetsHost) {}

  note(operation: Operation, exchange: Exchange, index: number): void {
    // Nothing to shrink without generated data; and a request that got no answer is not re-sent over and over.
    const generated = operation.body !== undefined || operation.parameters.some((p) => !this.host.config.profile.variables?.includes(p.name));
    if (!generated || exchange.error) return;
    for (const outcome of this.host.outcomesOf(exchange) ?? []) {
      const key = `${operation.id} ${outcome.check}`;
      const check = this.host.checks.find((c) => c.id === outcome.check);
      if (this.targets.has(key) || outcome.failures.length === 0 || !check) continue;
      this.targets.set(key, { check, index });
    }
  }

  async shrink(operation: Operation): Promise<void> {
    for (const [key, target] of this.targets) {
      if (!key.startsWith(`${operation.id} `) || this.host.isInterrupted) continue;
      const shrunk = await shrinkFailure(this.host, operation, target.check, seedFor(this.host.config.seed, operation.id, 0), target.index, 10_000).catch(() => undefined);
      if (shrunk) this.host.emit({ type: 'shrunk', operation, check: target.check.id, exchange: shrunk.exchange, message: shrunk.message, seed: shrunk.seed, path: shrunk.path });
    }
  }
}
