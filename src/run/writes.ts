import type { OutgoingRequest } from '../http/types.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A create the run made, as read-after-write checks compare it. */
export interface CreateRecord {
  resource: string;
  /** The resource's own path (its read operation's path, filled in). */
  path: string;
  params: Record<string, string>;
  body: unknown;
  /** The write sequence number of the create. */
  seq: number;
}

/**
 * The run's writes, per resource path, so that read-after-write checks (create-echo, update-applied) compare a read
 * with the run's own most recent write to that resource only. Every write the run sends counts (cases, negative
 * cases that were accepted, probes, actions, deletes, cleanup): one to the resource's path or below it (an action
 * such as `/bdbs/1/reset_admin_pass`), or a delete of a parent, changes the resource; a create that hands out an id
 * the run already held (ids can be reused) replaces it.
 */
export class WriteTracker {
  private seq = 0;
  /** Sequence numbers of the writes sent to each path (normalized, without query). */
  private readonly writes: { path: string; method: string; seq: number }[] = [];
  private readonly creates: CreateRecord[] = [];
  private readonly basePath: string;

  constructor(target: string) {
    this.basePath = pathOf(target).replace(/\/+$/, '');
  }

  /** The sequence number of the last write so far. */
  get last(): number {
    return this.seq;
  }

  /** A request the run sent, with its answer's status (undefined when none came: it may have taken effect). */
  sent(request: OutgoingRequest, status: number | undefined): void {
    if (SAFE.has(request.method.toUpperCase())) return;
    // A refused write changed nothing (whether it did is negative-data-rejection's business).
    if (status !== undefined && status >= 300) return;
    this.writes.push({ path: pathOf(request.url), method: request.method.toUpperCase(), seq: ++this.seq });
  }

  /** A resource the run created at `path` (relative to the target): its create is the resource's last write. */
  created(resource: string, path: string, params: Record<string, string>, body: unknown): CreateRecord {
    const full = this.basePath + normalize(path);
    const record: CreateRecord = { resource, path: full, params: { ...params }, body: structuredClone(body), seq: ++this.seq };
    this.writes.push({ path: full, method: 'CREATE', seq: record.seq });
    this.creates.push(record);
    return record;
  }

  /** How many writes changed the resource at `path` (relative to the target) after write `since`. */
  writesSince(path: string, since: number): number {
    const full = this.basePath + normalize(path);
    let count = 0;
    for (const w of this.writes) if (w.seq > since && touches(w, full)) count++;
    return count;
  }

  /** The first create of this resource type that nothing has changed since, among those `held` accepts (still the run's). */
  intactCreate(resource: string, held: (record: CreateRecord) => boolean): CreateRecord | undefined {
    return this.creates.find((c) => c.resource === resource && held(c) && this.writesSince(c.path.slice(this.basePath.length), c.seq) === 0);
  }
}

/** Whether a write to `w.path` changes the resource at `resource`: the path itself, below it, or a delete above it. */
function touches(w: { path: string; method: string }, resource: string): boolean {
  if (w.path === resource || w.path.startsWith(`${resource}/`)) return true;
  return w.method === 'DELETE' && resource.startsWith(`${w.path}/`);
}

function pathOf(url: string): string {
  try {
    return normalize(new URL(url).pathname);
  } catch {
    return normalize(url.split('?')[0] ?? url);
  }
}

/** Decoded, without a trailing slash, so that encoded and plain spellings of an id compare equal. */
function normalize(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed escape stays as it is.
  }
  return decoded.replace(/\/+$/, '');
}
