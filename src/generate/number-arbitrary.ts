import fc from 'fast-check';
import type { JsonSchema } from '../spec/types.ts';
import { DEFAULT_INT_RANGE } from './generate-options.ts';

/** Numbers for a number or integer schema: minimum, maximum (inclusive or exclusive, 3.0 and 3.1 forms) and multipleOf. */
export function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  let min = schema.minimum as number | undefined;
  let max = schema.maximum as number | undefined;
  let exclusiveMin = false;
  let exclusiveMax = false;
  // OpenAPI 3.0 booleans and 3.1 numbers.
  // A 3.1 numeric exclusive bound only binds when it is at least as tight as the inclusive one.
  if (typeof schema.exclusiveMinimum === 'number' && (min === undefined || schema.exclusiveMinimum >= min)) [min, exclusiveMin] = [schema.exclusiveMinimum, true];
  else if (schema.exclusiveMinimum === true) exclusiveMin = true;
  if (typeof schema.exclusiveMaximum === 'number' && (max === undefined || schema.exclusiveMaximum <= max)) [max, exclusiveMax] = [schema.exclusiveMaximum, true];
  else if (schema.exclusiveMaximum === true) exclusiveMax = true;
  if (min === undefined && max === undefined) [min, max] = [DEFAULT_INT_RANGE.min, DEFAULT_INT_RANGE.max];
  else if (min === undefined) min = Math.min(0, max! - DEFAULT_INT_RANGE.max);
  else if (max === undefined) max = Math.max(min, 0) + DEFAULT_INT_RANGE.max;
  const step = schema.multipleOf as number | undefined;
  if (integer || step !== undefined) {
    const unit = step ?? 1;
    let lo = Math.ceil(min! / unit);
    let hi = Math.floor(max! / unit);
    if (exclusiveMin && lo * unit <= min!) lo += 1;
    if (exclusiveMax && hi * unit >= max!) hi -= 1;
    if (hi < lo) return fc.constant(lo * unit);
    return fc.integer({ min: lo, max: hi }).map((k) => roundTo(k * unit, unit));
  }
  return fc.double({ min: min!, max: max!, minExcluded: exclusiveMin, maxExcluded: exclusiveMax, noNaN: true, noDefaultInfinity: true })
    .map((n) => (Object.is(n, -0) ? 0 : n));
}

/** k * 0.1 is 0.30000000000000004 for k = 3: round to the step's decimals so multipleOf validates. */
function roundTo(value: number, unit: number): number {
  const decimals = (String(unit).split('.')[1] ?? '').length;
  return decimals === 0 ? value : Number(value.toFixed(decimals));
}
