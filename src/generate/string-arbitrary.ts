import fc from 'fast-check';
import type { JsonSchema } from '../spec/types.ts';
import { fitting } from './fitting.ts';
import { FORMAT_ARBITRARIES, NAME_CHAR } from './formats.ts';
import { capped, MAX_GENERATED_LENGTH, UNBOUNDED_MAX_LENGTH, type GenerateOptions } from './generate-options.ts';

/** Strings for a string schema: its pattern (with the length bounds folded in where possible), format and lengths. */
export function stringArbitrary(schema: JsonSchema, options: GenerateOptions): fc.Arbitrary<string> {
  const minLength = capped((schema.minLength as number | undefined) ?? 0, MAX_GENERATED_LENGTH, 'minLength', options);
  const explicitMax = schema.maxLength === undefined ? undefined : Math.max(minLength, Math.min(schema.maxLength as number, MAX_GENERATED_LENGTH));
  const maxLength = explicitMax ?? Math.max(minLength, UNBOUNDED_MAX_LENGTH);
  // Patterns and formats fix their own length; only documented bounds filter them.
  const fitsLength = (s: string) => [...s].length >= minLength && (explicitMax === undefined || [...s].length <= explicitMax);
  if (typeof schema.pattern === 'string') {
    // `{100000}`: strings that long are not generated (they would block the run), the pattern is named instead.
    const huge = [...schema.pattern.matchAll(/\{(\d+)/g)].some((m) => Number(m[1]) > MAX_GENERATED_LENGTH);
    const matching = huge ? undefined : patternArbitrary(withLengthBounds(schema.pattern, minLength, explicitMax));
    if (matching) return fitting(matching, fitsLength, () => options.onUnsupported?.(`pattern ${schema.pattern} with lengths ${minLength}..${explicitMax ?? ''}`));
    options.onUnsupported?.(`pattern ${schema.pattern}`);
    // Plain names, of which some may match: better than nothing, and never a crash.
    return fc.string({ unit: NAME_CHAR, minLength: Math.min(Math.max(minLength, 1), maxLength), maxLength });
  }
  const format = schema.format as string | undefined;
  if (format) {
    const formatArb = FORMAT_ARBITRARIES[format];
    if (formatArb && (format !== 'password' || explicitMax === undefined || explicitMax >= 12)) {
      return fitting(formatArb, fitsLength, () => options.onUnsupported?.(`format ${format} with lengths ${minLength}..${explicitMax ?? ''}`));
    }
    if (!formatArb && !['password', 'binary', 'string'].includes(format)) options.onUnsupported?.(`format ${format}`);
  }
  const min = Math.max(minLength, 1);
  return fc.string({ unit: NAME_CHAR, minLength: Math.min(min, maxLength), maxLength });
}

/** One atom of a regex: a character class, an escape, `.`, or a plain character. */
const ATOM = String.raw`(?:\[(?:\\.|[^\]\\])*\]|\\.|[^\\()[\]{}|*+?^$])`;
const TRAILING_REPEAT = new RegExp(String.raw`^\^((?:${ATOM}(?:\{\d+\})?)*?)(${ATOM})(\+|\*|\{(\d+),(\d*)\})\$$`);

/**
 * Length bounds folded into a pattern that ends in a repeated atom (`^[a-z][a-z0-9-]*$` with maxLength 48 becomes
 * `^[a-z][a-z0-9-]{0,47}$`), so that generated strings fit them by construction. Other patterns are left alone.
 */
export function withLengthBounds(pattern: string, minLength: number, maxLength: number | undefined): string {
  if (minLength === 0 && maxLength === undefined) return pattern;
  const match = TRAILING_REPEAT.exec(pattern);
  if (!match) return pattern;
  const [, prefix = '', atom, quantifier, qMin, qMax] = match;
  const fixed = fixedLength(prefix);
  if (fixed === undefined) return pattern;
  const repeatMin = quantifier === '+' ? 1 : quantifier === '*' ? 0 : Number(qMin);
  const repeatMax = quantifier === '+' || quantifier === '*' || qMax === '' ? Number.POSITIVE_INFINITY : Number(qMax);
  const lo = Math.max(repeatMin, minLength - fixed);
  const hi = Math.min(repeatMax, maxLength === undefined ? Math.max(lo, repeatMin) + UNBOUNDED_MAX_LENGTH : maxLength - fixed);
  if (hi < lo) return pattern;
  return `^${prefix}${atom}{${lo},${hi}}$`;
}

/** The number of characters a sequence of atoms (each optionally with an exact `{n}`) always matches. */
function fixedLength(sequence: string): number | undefined {
  const part = new RegExp(String.raw`${ATOM}(?:\{(\d+)\})?`, 'y');
  let length = 0;
  let at = 0;
  while (at < sequence.length) {
    part.lastIndex = at;
    const m = part.exec(sequence);
    if (!m) return undefined;
    length += m[1] === undefined ? 1 : Number(m[1]);
    at = part.lastIndex;
  }
  return length;
}

/** Strings matching a pattern; undefined when the pattern is no valid ECMAScript regex or fast-check cannot invert it. */
function patternArbitrary(source: string): fc.Arbitrary<string> | undefined {
  for (const flags of ['u', '']) {
    try {
      return fc.stringMatching(new RegExp(source, flags));
    } catch {
      // Try without the unicode flag (`\_` is an error with it), then give up.
    }
  }
  return undefined;
}
