import fc from 'fast-check';

/** Re-draws bounded in number and in time, for values that must also pass a test fast-check's filter cannot bound. */

const DRAWS = 50;

/** Past this time (epoch ms) no value is drawn again (see withDeadline): retries multiply in nested schemas. */
let drawDeadline = Number.POSITIVE_INFINITY;

/** Runs `generate` so that re-draws stop at `until` (epoch ms): a first value is then kept as it is. */
export function withDeadline<T>(until: number, generate: () => T): T {
  const outer = drawDeadline;
  drawDeadline = Math.min(outer, until);
  try {
    return generate();
  } finally {
    drawDeadline = outer;
  }
}

/**
 * Values of `arb` that satisfy `accept`, without fast-check's unbounded filter (which never returns when the values
 * rarely or never fit): a first value that fits is kept as generated (the random stream, and so every value a seed
 * gives, is the same as without the check); otherwise more are drawn, at most DRAWS in all, else the first is kept
 * and `onMiss` reports it.
 */
export function fitting<T>(arb: fc.Arbitrary<T>, accept: (value: T) => boolean, onMiss: () => void): fc.Arbitrary<T> {
  return arb.chain((first) => {
    if (accept(first)) return fc.constant(first);
    return fc.gen().map((draw) => {
      for (let i = 1; i < DRAWS && Date.now() < drawDeadline; i++) {
        const next = draw(() => arb);
        if (accept(next)) return next;
      }
      onMiss();
      return first;
    });
  });
}
