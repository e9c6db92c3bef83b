import { annotationKey, picked, valuesAt, valuesFromAnnotations, valuesSources, type ValuesSource } from '../generate/values-from.ts';
import type { HttpResponse } from '../http/types.ts';
import type { Operation } from '../spec/types.ts';
import type { RunConfig } from './config.ts';

/** What discovery needs from the session. */
export interface ValuesHost {
  readonly config: RunConfig;
  operation(id: string): Operation | undefined;
  /** Reads an operation (checked and reported like every request); rejects when no answer came. */
  read(operation: Operation, path: Record<string, unknown>): Promise<HttpResponse>;
}

/** Path parameter values the run knows (ids and --var values), by name, first one first. */
type KnownIds = Map<string, string[]>;

/**
 * Ids for the operation's path parameters that the run has none of yet, by listing: the profile's id sources, else
 * (read-only runs) the resource's list. `keep` drops ids that cannot be used (src/run/path-ids.ts).
 */
export async function discoverIds(host: ValuesHost, ids: KnownIds, operation: Operation, keep: (name: string, found: string[]) => string[] = (_name, found) => found): Promise<void> {
  const { mode, profile } = host.config;
  for (const param of operation.parameters.filter((p) => p.in === 'path')) {
    if (ids.get(param.name)?.length) continue;
    const resource = mode === 'read-only' ? profile.resources.find((r) => r.idParam === param.name && r.list && r.listIds) : undefined;
    const source = profile.idSources?.[param.name] ?? (resource ? { operationId: resource.list!, ids: resource.listIds! } : undefined);
    const listOp = source && host.operation(source.operationId);
    if (!source || !listOp) continue;
    const path: Record<string, unknown> = {};
    for (const p of listOp.parameters.filter((q) => q.in === 'path')) path[p.name] = ids.get(p.name)?.[0];
    try {
      const response = await host.read(listOp, path);
      if (response.status === 200) ids.set(param.name, keep(param.name, source.ids(response.json)));
    } catch {
      // The exchange checks of the list operation itself report transport faults.
    }
  }
}

/**
 * Values for `x-conformance-values-from` annotations, found by calling the named operation once per requesting
 * operation (a source may take the requesting operation's path parameters, such as the cluster whose upgrade
 * versions are listed). The generator draws from them; without an answer it falls back to the schema.
 */
export class DiscoveredValues {
  private readonly values = new Map<string, unknown[]>();

  constructor(
    private readonly host: ValuesHost,
    private readonly ids: KnownIds,
    private readonly warn: (message: string) => void,
  ) {}

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
      // Found even when --include/--exclude left it out: it is only read.
      const op = this.host.operation(source.operationId) ?? this.host.config.allOperations?.find((o) => o.id === source.operationId);
      if (!op || op.method !== 'get') continue;
      const params = op.parameters.filter((p) => p.in === 'path');
      // Only path parameters the requesting operation shares say which resource to ask about.
      const path: Record<string, string> = {};
      for (const p of params) {
        const value = own.has(p.name) ? this.ids.get(p.name)?.[0] : undefined;
        if (value !== undefined) path[p.name] = value;
      }
      if (Object.keys(path).length < params.length) continue;
      try {
        const response = await this.host.read(op, path);
        if (response.status === 200) {
          const found = picked(valuesAt(response.json, source.path), source.pick);
          if (found.length > 0) return found;
          tried.push(`${op.id} listed none at ${source.path}`);
        } else tried.push(`${op.id} answered ${response.status}`);
      } catch (error) {
        tried.push(`${op.id}: ${(error as Error).message}`);
      }
    }
    if (sources.length > 0) this.warn(`${operation.id}: no values found for x-conformance-values-from (${tried.join('; ') || 'no usable source operation'}); generated values may be refused`);
    return [];
  }
}
