import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { acyclic } from '../spec/acyclic.ts';
import { toJsonSchema, type SchemaDirection } from '../spec/json-schema.ts';
import { regExpEngine } from '../spec/regexp.ts';
import type { JsonSchema } from '../spec/types.ts';
import type { ValidationIssue } from '../core/profile.ts';

export type { ValidationIssue };

/**
 * Compiles each schema once per run (keyed by the schema object and direction) and validates values against it.
 * OpenAPI 3.1 documents use the 2020-12 dialect; 3.0 documents the draft-07 one after conversion.
 * Recursive schemas are compiled with their cycles as `$ref`s (src/spec/acyclic.ts); patterns are read in both
 * regex modes, and one that compiles in neither is reported through `onWarning` and restricts nothing.
 */
export class ValidatorCache {
  private readonly ajv: Ajv;
  private readonly defsKeyword: '$defs' | 'definitions';
  private readonly onWarning: ((message: string) => void) | undefined;
  private readonly warned = new Set<string>();
  private readonly compiled = new Map<SchemaDirection, WeakMap<object, ValidateFunction>>([
    ['request', new WeakMap()],
    ['response', new WeakMap()],
  ]);

  constructor(openapi: '3.0' | '3.1', onWarning?: (message: string) => void) {
    // multipleOfPrecision: 0.3 is a multiple of 0.1, although 0.3 / 0.1 is 2.9999999999999996 in floating point.
    // No console output: unknown formats in a document are its own business (the generator warns about what it cannot honour).
    const options = { strict: false, allErrors: true, validateFormats: true, unicodeRegExp: true, multipleOfPrecision: 9, logger: false,
      code: { regExp: regExpEngine((pattern, reason) => this.warnOnce(`pattern ${pattern} compiles in no regex mode (${reason}): it is not checked`)) } } as const;
    this.onWarning = onWarning;
    this.defsKeyword = openapi === '3.1' ? '$defs' : 'definitions';
    this.ajv = openapi === '3.1' ? new Ajv2020(options) : new Ajv(options);
    (addFormats as unknown as (ajv: Ajv) => void)(this.ajv);
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.onWarning?.(message);
  }

  validator(schema: JsonSchema, direction: SchemaDirection): ValidateFunction {
    const cache = this.compiled.get(direction)!;
    let fn = cache.get(schema);
    if (!fn) {
      try {
        fn = this.ajv.compile(acyclic(toJsonSchema(schema, direction), this.defsKeyword));
      } catch (error) {
        // A schema ajv cannot read (`type: file`, a broken keyword): it is named, and values are not judged by it.
        this.warnOnce(`a schema cannot be compiled (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): values are not checked against it`);
        fn = Object.assign(() => true, { errors: null, schema, schemaEnv: undefined }) as unknown as ValidateFunction;
      }
      cache.set(schema, fn);
    }
    return fn;
  }

  validate(schema: JsonSchema, value: unknown, direction: SchemaDirection): ValidationIssue[] {
    const fn = this.validator(schema, direction);
    if (fn(value)) return [];
    return (fn.errors ?? []).map(describeAjvError);
  }
}

const MAX_CONSTRAINT_CHARS = 60;

function describeAjvError(error: ErrorObject): ValidationIssue {
  const path = error.instancePath || '';
  let message = error.message ?? 'is invalid';
  // A 5 KB pattern is named, not printed.
  const pattern = error.keyword === 'pattern' ? String((error.params as { pattern: string }).pattern) : '';
  if (pattern.length > MAX_CONSTRAINT_CHARS) message = `must match the pattern of ${path.split('/').pop() || 'the value'} (${pattern.length.toLocaleString('en-US')} chars)`;
  if (error.keyword === 'enum') message += ` ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`;
  if (error.keyword === 'additionalProperties') message += ` '${(error.params as { additionalProperty: string }).additionalProperty}'`;
  return { path, message };
}

export function formatIssues(issues: ValidationIssue[], limit = 3): string {
  const shown = issues.slice(0, limit).map((i) => `${i.path || '(root)'} ${i.message}`);
  return shown.join('; ') + (issues.length > limit ? `; and ${issues.length - limit} more` : '');
}
