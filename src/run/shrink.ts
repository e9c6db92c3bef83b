import fc from 'fast-check';
import type { Check, CheckContext, Exchange } from '../checks/types.ts';
import type { RequestInput } from '../generate/request.ts';
import type { Operation } from '../spec/types.ts';

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
