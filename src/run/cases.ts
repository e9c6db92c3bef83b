import type fc from 'fast-check';
import { requestInputArbitrary, type RequestInput } from '../generate/request.ts';
import { sampleNow } from '../generate/bounded.ts';
import type { Operation } from '../spec/types.ts';
import type { RunConfig } from './config.ts';
import { heldWithin } from './held-ids.ts';
import type { LedgerEntry } from './ledger.ts';

export interface CasesHost {
  readonly config: RunConfig;
  /** Path parameter values the run knows (ids and --var values), by name. */
  readonly ids: Map<string, string[]>;
  /** The resources the run holds (children are created under the parents it holds). */
  held(): readonly LedgerEntry[];
  /** Values x-conformance-values-from annotations took from other operations' answers. */
  valuesFrom(operation: Operation, annotation: unknown): readonly unknown[] | undefined;
  warnOnce(message: string): void;
}

/** The run's request data: arbitraries and seeds per operation, ids filled in, the profile's rules applied. */
export class Cases {
  private readonly arbitraries = new Map<Operation, fc.Arbitrary<RequestInput>>();

  constructor(private readonly host: CasesHost) {}

  /** One arbitrary per operation: building one merges allOf and compiles patterns. */
  arbitraryFor(operation: Operation): fc.Arbitrary<RequestInput> {
    let arbitrary = this.arbitraries.get(operation);
    if (!arbitrary) {
      arbitrary = requestInputArbitrary(operation, {
        onUnsupported: (what) => this.host.warnOnce(`${operation.id}: ${what} is not supported by the generator`),
        valuesFrom: (annotation) => this.host.valuesFrom(operation, annotation),
      });
      this.arbitraries.set(operation, arbitrary);
    }
    return arbitrary;
  }

  /** Forgets an operation's arbitrary (values it draws from were discovered since). */
  forget(operation: Operation): void {
    this.arbitraries.delete(operation);
  }

  /** `count` examples of a stream, from the `from`-th on (the same values as one longer sample). */
  generate(operation: Operation, count: number, stream: number, from = 0): RequestInput[] {
    if (count <= 0) return [];
    return sampleNow(this.arbitraryFor(operation), seedFor(this.host.config.seed, operation.id, stream), count, from);
  }

  addressInPlace(operation: Operation, input: RequestInput, index: number): void {
    for (const param of operation.parameters.filter((p) => p.in === 'path')) {
      const known = this.host.ids.get(param.name);
      if (known && known.length > 0) input.path[param.name] = known[index % known.length]!;
    }
  }

  /** Generated data addressed at known ids (the index picks among them) with the profile's rules applied. */
  addressed(operation: Operation, generated: RequestInput, index = 0): RequestInput {
    const input = structuredClone(generated);
    this.addressInPlace(operation, input, index);
    this.prepare(operation, input);
    return input;
  }

  /** Applies the profile's cross-field rules to a generated request, in place. */
  prepare(operation: Operation, input: RequestInput): void {
    const pathParams = input.path as Record<string, string>;
    const context = { operationId: operation.id, ids: this.host.ids, pathParams, idsWithin: (param: string) => heldWithin(this.host.held(), param, pathParams) };
    const { prepareBody, prepareQuery, prepareHeaders } = this.host.config.profile;
    if (input.body !== undefined && prepareBody) input.body = prepareBody(input.body, context);
    if (prepareQuery) input.query = prepareQuery(input.query, context);
    if (prepareHeaders) input.headers = prepareHeaders(input.headers, context);
  }

  /** Whether a request only validates (the profile's dry-run parameter is set). */
  isDryRun(input: RequestInput): boolean {
    const param = this.host.config.profile.dryRun?.param;
    if (!param || !(param in input.query)) return false;
    const value = input.query[param];
    return value !== false && value !== 'false';
  }

  /** One more valid request for an operation, with the profile's rules applied, addressed at these path parameters. */
  validInput(operation: Operation, path: Record<string, string>): RequestInput | undefined {
    const [input] = this.generate(operation, 1, 2);
    if (!input) return undefined;
    Object.assign(input.path, path);
    // Probes need the request to take effect.
    const { dryRun } = this.host.config.profile;
    if (dryRun) delete input.query[dryRun.param];
    this.prepare(operation, input);
    return input;
  }

  /** The first known id of each path parameter of an operation. */
  pathFor(operation: Operation): Record<string, string> {
    const path: Record<string, string> = {};
    for (const p of operation.parameters.filter((q) => q.in === 'path')) {
      const known = this.host.ids.get(p.name)?.[0];
      if (known !== undefined) path[p.name] = known;
    }
    return path;
  }

  /** A request whose last id-like path parameter names nothing that exists. */
  unknownIdCase(operation: Operation): RequestInput | undefined {
    const { profile, seed } = this.host.config;
    const pathParams = operation.parameters.filter((p) => p.in === 'path' && !Array.isArray(p.schema.enum));
    const target = pathParams.at(-1);
    if (!target || profile.variables?.includes(target.name)) return undefined;
    if (profile.resources.some((r) => r.upsert?.includes(operation.id))) return undefined;
    const [input] = this.generate(operation, 1, 1);
    if (!input) return undefined;
    for (const param of pathParams) {
      const known = this.host.ids.get(param.name);
      if (known?.length) input.path[param.name] = known[0];
    }
    input.path[target.name] = unknownValue(target.schema, seed);
    this.prepare(operation, input);
    return input;
  }
}

/** An id that names nothing: far out of range for integers, a fixed-shape uuid, otherwise a marked string. */
export function unknownValue(schema: Record<string, unknown>, seed: number): string {
  const n = Math.abs(seed) % 1000;
  if (schema.type === 'integer' || schema.type === 'number') return String(900_000_000 + n);
  if (schema.format === 'uuid') return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : 64;
  return `unknown${n}`.slice(0, Math.max(1, max));
}

/** A per-operation seed, so adding an operation does not change the data of the others. */
export function seedFor(seed: number, operationId: string, stream: number): number {
  let hash = seed ^ (stream * 0x9e3779b1);
  for (let i = 0; i < operationId.length; i++) hash = Math.imul(hash ^ operationId.charCodeAt(i), 0x01000193);
  return hash | 0;
}
