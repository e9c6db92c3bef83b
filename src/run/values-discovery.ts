import type { RequestInput } from '../generate/request.ts';
import { annotationKey, valuesAt, valuesFromAnnotations, valuesSources, type ValuesSource } from '../generate/values-from.ts';
import type { HttpResponse, OutgoingRequest } from '../http/types.ts';
import type { Operation } from '../spec/types.ts';

/** What discovery needs from the session. */
export interface ValuesHost {
  operation(id: string): Operation | undefined;
  buildRequest(operation: Operation, input: RequestInput): OutgoingRequest;
  send(request: OutgoingRequest): Promise<HttpResponse>;
  /** Path parameter values the run knows (ids and --var values), first one first. */
  knownPathValue(name: string): string | undefined;
  warn(message: string): void;
}

/**
 * Values for `x-conformance-values-from` annotations, found by calling the named operation once per requesting
 * operation (a source may take the requesting operation's path parameters, such as the cluster whose upgrade
 * versions are listed). The generator draws from them; without an answer it falls back to the schema.
 */
export class DiscoveredValues {
  private readonly values = new Map<string, unknown[]>();

  constructor(private readonly host: ValuesHost) {}

  /** The values for an annotation as the given operation sees them. */
  lookup(operation: Operation, annotation: unknown): readonly unknown[] | undefined {
    return this.values.get(`${operation.id} ${annotationKey(annotation)}`);
  }

  /** Calls the sources of every annotation of the operation not resolved yet. True when something new was found. */
  async discover(operation: Operation): Promise<boolean> {
    let changed = false;
    for (const annotation of valuesFromAnnotations(operation)) {
      const key = `${operation.id} ${annotationKey(annotation)}`;
      if (this.values.has(key)) continue;
      const found = await this.fromSources(operation, valuesSources(annotation));
      this.values.set(key, found);
      if (found.length > 0) changed = true;
    }
    return changed;
  }

  private async fromSources(operation: Operation, sources: ValuesSource[]): Promise<unknown[]> {
    const own = new Set(operation.parameters.filter((p) => p.in === 'path').map((p) => p.name));
    const tried: string[] = [];
    for (const source of sources) {
      const op = this.host.operation(source.operationId);
      if (!op || op.method !== 'get') continue;
      const params = op.parameters.filter((p) => p.in === 'path');
      // Only path parameters the requesting operation shares say which resource to ask about.
      const path: Record<string, string> = {};
      for (const p of params) {
        const value = own.has(p.name) ? this.host.knownPathValue(p.name) : undefined;
        if (value !== undefined) path[p.name] = value;
      }
      if (Object.keys(path).length < params.length) continue;
      try {
        const response = await this.host.send(this.host.buildRequest(op, { path, query: {}, headers: {} }));
        if (response.status === 200) {
          const found = valuesAt(response.json, source.path);
          if (found.length > 0) return found;
          tried.push(`${op.id} listed none at ${source.path}`);
        } else tried.push(`${op.id} answered ${response.status}`);
      } catch (error) {
        tried.push(`${op.id}: ${(error as Error).message}`);
      }
    }
    if (sources.length > 0) this.host.warn(`${operation.id}: no values found for x-conformance-values-from (${tried.join('; ') || 'no usable source operation'}); generated values may be refused`);
    return [];
  }
}
