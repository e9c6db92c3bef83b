import { allStrings } from '../checks/write-only.ts';
import type { HttpResponse } from '../http/types.ts';
import type { ResourceProfile } from '../providers/types.ts';
import type { LedgerEntry } from './ledger.ts';

/**
 * Whether a resource in the ledger is still the one this run created. A run changes or deletes only what it
 * verifiably created: an id that a server handed out for a dry run, or that it reused for another client's resource,
 * must not be touched. The proof is the run marker (`cf-<runId>-<n>`) the create put into the resource's name; where
 * the API has no free-text name, the creation time (or similar identity fields) read from the create's answer.
 */

/** The run marker a create body carries, if any. */
export function markerIn(body: unknown, runId: string): string | undefined {
  const pattern = new RegExp(`cf-${runId}-\\d+`);
  for (const value of allStrings(body)) {
    const match = pattern.exec(value);
    if (match) return match[0];
  }
  return undefined;
}

const IDENTITY_KEY = /^(created|creation|createdAt|created_at|createdDate|creationDate|creation_date|creationTime|creation_time|created_on|createdOn|creationTimestamp)$/i;

/** Fields of a resource that tell two resources with the same id apart (creation times), up to two levels deep. */
export function identityOf(body: unknown, depth = 0): Record<string, string> {
  const out: Record<string, string> = {};
  if (!body || typeof body !== 'object' || Array.isArray(body) || depth > 2) return out;
  for (const [key, value] of Object.entries(body)) {
    if (IDENTITY_KEY.test(key) && (typeof value === 'string' || typeof value === 'number')) out[key] = String(value);
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(identityOf(value, depth + 1))) out[`${key}.${k}`] = v;
    }
  }
  return out;
}

export type Verdict = 'ours' | 'gone' | 'not-ours';

/**
 * Judges a read of a ledger resource: gone (404/410), ours (its marker or identity is there), or not ours.
 * An entry with neither marker nor identity is taken as ours (nothing else can prove it); an unreadable answer
 * (transport error, 5xx) too, since the delete then decides.
 */
export function judge(entry: LedgerEntry, response: HttpResponse | undefined): Verdict {
  if (!response) return 'ours';
  if (response.status === 404 || response.status === 410) return 'gone';
  if (response.status !== 200 || response.json === undefined) return 'ours';
  if (entry.marker) return allStrings(response.json).some((s) => s.includes(entry.marker!)) ? 'ours' : 'not-ours';
  if (entry.identity && Object.keys(entry.identity).length > 0) {
    const now = identityOf(response.json);
    return Object.entries(entry.identity).every(([k, v]) => now[k] === undefined || now[k] === v) ? 'ours' : 'not-ours';
  }
  return 'ours';
}

/** Whether a request path is the entry's resource or below it (an action or child of it). */
export function addresses(entry: LedgerEntry, path: string): boolean {
  return path === entry.path || path.startsWith(`${entry.path}/`);
}

export interface OwnershipHost {
  ledger(): { list(): readonly LedgerEntry[]; add(entry: LedgerEntry): void; remove(path: string): void; update(path: string, change: Partial<LedgerEntry>): void; readonly file: string | undefined };
  resources(): readonly ResourceProfile[];
  /** Sends an operation (a resource's read) with these path parameters; undefined when no answer came. */
  read(operationId: string, params: Record<string, string>): Promise<HttpResponse | undefined>;
  /** The run's known ids by path parameter: an id found not to be ours is taken out, so no later request addresses it. */
  ids: Map<string, string[]>;
  warn(message: string): void;
}

/** Verifies ledger resources before the run changes or deletes them; a change is verified once per resource, a delete every time. */
export class OwnershipGuard {
  private readonly verified = new Map<string, Promise<Verdict>>();

  constructor(private readonly host: OwnershipHost) {}

  /**
   * Whether a write to `path` may be sent: every ledger resource it addresses must still be ours. A resource that is
   * not is dropped from the ledger (and the run's ids) and left alone.
   */
  async mayWrite(method: string, path: string): Promise<boolean> {
    if (method === 'GET' || method === 'HEAD') return true;
    for (const entry of this.host.ledger().list().filter((e) => addresses(e, path))) {
      // A resource that is gone was never created (a dry run answered like a create) or is deleted: its id is not ours to use.
      if ((await this.verify(entry)) !== 'ours') return false;
    }
    return true;
  }

  /**
   * Records a create in the ledger with what proves it later (marker or identity, and the pre-delete step). The same
   * path answered again (an earlier answer was a dry run's) replaces the earlier claim: the latest create is the one
   * that can be real. Returns whether the entry is new.
   */
  record(resource: ResourceProfile, entry: LedgerEntry, sent: unknown, answer: unknown): boolean {
    const proof = createdIdentity(resource, sent, answer, entry.runId);
    const ledger = this.host.ledger();
    if (ledger.list().some((e) => e.path === entry.path)) {
      ledger.update(entry.path, { resource: entry.resource, params: entry.params, marker: undefined, identity: undefined, ...proof, verified: false });
      this.verified.delete(entry.path);
      return false;
    }
    ledger.add({ ...entry, ...proof });
    return true;
  }

  /**
   * Verifies the entries no read has confirmed yet, right after a create: before any later write of this run can
   * rename the resource, and before another run can take an id a dry run answered. A resource not readable yet stays
   * unconfirmed (a write to it reads it again first).
   */
  async confirmNew(): Promise<void> {
    for (const entry of this.host.ledger().list().filter((e) => !e.verified)) {
      const verdict = judge(entry, await this.readEntry(entry));
      if (verdict !== 'gone') this.settle(entry, verdict);
    }
  }

  /**
   * Reads and judges an entry, once: a resource shown to be ours before the run first changed it stays ours (no other
   * run touches it), even when the run's own update renames it. The ledger keeps the verdict for `cleanup`.
   */
  async verify(entry: LedgerEntry): Promise<Verdict> {
    if (entry.verified) return 'ours';
    let pending = this.verified.get(entry.path);
    if (!pending) {
      pending = this.readEntry(entry).then((response) => judge(entry, response));
      this.verified.set(entry.path, pending);
    }
    return this.settle(entry, await pending);
  }

  private readEntry(entry: LedgerEntry): Promise<HttpResponse | undefined> {
    const resource = this.host.resources().find((r) => r.name === entry.resource);
    return resource ? this.host.read(resource.read, entry.params) : Promise.resolve(undefined);
  }

  private forget(entry: LedgerEntry): void {
    const resource = this.host.resources().find((r) => r.name === entry.resource);
    const known = resource && this.host.ids.get(resource.idParam);
    const at = known ? known.indexOf(entry.params[resource!.idParam]!) : -1;
    if (at >= 0) known!.splice(at, 1);
  }

  /** Keeps a verdict: an entry shown to be ours is marked so in the ledger, one that is not (or is gone) is dropped. */
  private settle(entry: LedgerEntry, verdict: Verdict): Verdict {
    if (verdict === 'ours' && !entry.verified && this.host.ledger().list().includes(entry)) this.host.ledger().update(entry.path, { verified: true });
    if (verdict !== 'ours' && this.host.ledger().list().includes(entry)) {
      this.host.ledger().remove(entry.path);
      this.forget(entry);
      if (verdict === 'not-ours') {
        this.host.warn(`${entry.resource} ${entry.path} is not the one this run created (${entry.marker ? `its name lacks the run marker ${entry.marker}` : 'its creation time differs'}): left alone and dropped from ${this.host.ledger().file ?? 'the ledger'}`);
      }
    }
    return verdict;
  }
}

/** What a ledger entry records to prove later that a resource is the one created: its run marker, else its identity fields; and its pre-delete step. */
export function createdIdentity(resource: ResourceProfile, sent: unknown, answer: unknown, runId: string): Pick<LedgerEntry, 'marker' | 'identity' | 'beforeDelete'> {
  const marker = resource.markName ? markerIn(sent, runId) : undefined;
  const identity = marker ? {} : identityOf(answer);
  return {
    ...(marker ? { marker } : {}),
    ...(Object.keys(identity).length > 0 ? { identity } : {}),
    ...(resource.beforeDelete ? { beforeDelete: resource.beforeDelete } : {}),
  };
}
