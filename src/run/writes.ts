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
  /** Write numbers by path: each write is listed under its own path and every path above it (a write "at or below"). */
  private readonly atOrBelow = new Map<string, number[]>();
  /** Write numbers of deletes by path (a delete also removes what lies below). */
  private readonly deletes = new Map<string, number[]>();
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
    this.note(pathOf(request.url), request.method.toUpperCase() === 'DELETE');
  }

  /** A resource the run created at `path` (relative to the target): its create is the resource's last write. */
  created(resource: string, path: string, params: Record<string, string>, body: unknown): CreateRecord {
    const full = this.basePath + normalize(path);
    const seq = this.note(full, false);
    const record: CreateRecord = { resource, path: full, params: { ...params }, body: structuredClone(body), seq };
    this.creates.push(record);
    return record;
  }

  /**
   * A create answered with the id of a resource the run already holds (a server that reuses ids, or that answered
   * an earlier create as a dry run): whatever the run wrote there before no longer describes the resource.
   */
  replaced(path: string): void {
    this.note(this.basePath + normalize(path), false);
  }

  /** How many writes changed the resource at `path` (relative to the target) after write `since`. */
  writesSince(path: string, since: number): number {
    return this.changesSince(this.basePath + normalize(path), since);
  }

  /** The first create of this resource type that nothing has changed since, among those `held` accepts (still the run's). */
  intactCreate(resource: string, held: (record: CreateRecord) => boolean): CreateRecord | undefined {
    return this.creates.find((c) => c.resource === resource && held(c) && this.changesSince(c.path, c.seq) === 0);
  }

  private note(path: string, isDelete: boolean): number {
    const seq = ++this.seq;
    for (const p of [path, ...ancestors(path)]) push(this.atOrBelow, p, seq);
    if (isDelete) push(this.deletes, path, seq);
    return seq;
  }

  /** Writes to the path or below it, and deletes of a path above it, after `since`. */
  private changesSince(path: string, since: number): number {
    let count = after(this.atOrBelow.get(path), since);
    for (const a of ancestors(path)) count += after(this.deletes.get(a), since);
    return count;
  }
}

/** The proper ancestors of a path: `/a/b/c` has `/a/b` and `/a`. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) out.push(path.slice(0, i));
  return out;
}

function push(map: Map<string, number[]>, key: string, seq: number): void {
  const list = map.get(key);
  if (list) list.push(seq);
  else map.set(key, [seq]);
}

/** How many of the (ascending) numbers are greater than `since`. */
function after(list: number[] | undefined, since: number): number {
  if (!list) return 0;
  let n = 0;
  for (let i = list.length - 1; i >= 0 && list[i]! > since; i--) n++;
  return n;
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
