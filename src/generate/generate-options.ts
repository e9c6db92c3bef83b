import type fc from 'fast-check';
import type { JsonSchema } from '../spec/types.ts';

// What the schema arbitraries share (src/generate/schema-arbitrary.ts and the files it builds with): options, size
// bounds, the state of one build, and small schema readers.

export type Direction = 'request' | 'response';

export interface GenerateOptions {
  /** request: readOnly properties are left out; response: writeOnly properties are left out. */
  direction: Direction;
  /** Called once per unsupported keyword or format, so the caller can warn once. */
  onUnsupported?: (what: string) => void;
  maxDepth?: number;
  /** Values found at run time for an `x-conformance-values-from` annotation (src/generate/values-from.ts); request direction only. */
  valuesFrom?: (annotation: unknown) => readonly unknown[] | undefined;
}

/** Builds the arbitrary of a nested schema (schema-arbitrary.ts `build`); handed to the container arbitraries. */
export type Build = (schema: JsonSchema | boolean, options: GenerateOptions, depth: number) => fc.Arbitrary<unknown>;

export const UNBOUNDED_MAX_ITEMS = 3;
export const UNBOUNDED_MAX_LENGTH = 24;
export const DEFAULT_INT_RANGE = { min: 0, max: 1000 };

/** Documented sizes beyond these caps (minItems 100000, minLength 10^6) are not generated: the cap is used and the caller is told. */
export const MAX_GENERATED_ITEMS = 64;
export const MAX_GENERATED_LENGTH = 4096;

/** The state of one schemaArbitrary call: schemas on the current path, whether values are leaves, arbitraries built. */
export interface BuildState {
  onPath: Map<object, number>;
  leaf: boolean;
  built: number;
}
export const states = new WeakMap<GenerateOptions, BuildState>();
export const stateOf = (options: GenerateOptions): BuildState => states.get(options) ?? { onPath: new Map(), leaf: false, built: 0 };

/** A documented size beyond what the generator makes: the cap, and the caller is told. */
export function capped(value: number, cap: number, keyword: string, options: GenerateOptions): number {
  if (value <= cap) return value;
  options.onUnsupported?.(`${keyword} ${value} (generated with ${cap})`);
  return cap;
}

export function typeList(schema: JsonSchema): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? (type as string[]) : [];
}

export function isObject(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
