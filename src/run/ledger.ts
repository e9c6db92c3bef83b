import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError, errorMessage } from '../errors.ts';
import { makeDirectory } from './report-dir.ts';

export interface LedgerEntry {
  runId: string;
  provider: string;
  target: string;
  resource: string;
  /** The resource's path below the target, as used by its read and delete operations. */
  path: string;
  /** Path parameters that address the resource (the provider's variables such as organizationId included). */
  params: Record<string, string>;
  createdAt: string;
  /** The run marker put into the resource's name at create (`cf-<runId>-<n>`), where the API allows one. */
  marker?: string;
  /** Fields of the resource as first read after its create that tell it apart from another resource with the same id (its creation time). */
  identity?: Record<string, string>;
  /** Set once a read showed the resource to be the one created, before the run first changed it. */
  verified?: boolean;
  /** The documented step before a delete (ClickHouse: stop, then wait for `stopped`), so that cleanup honours it from the ledger alone. */
  beforeDelete?: { operationId: string; body: unknown; until: string[] };
}

/** What a ledger file holds: a marker that says what it is, and the entries. */
const KIND = 'dbaas-conformance ledger';

/**
 * The resources a run has created and not yet deleted, persisted to disk before the run uses them,
 * so an interrupted run can be cleaned up by `conformance cleanup --ledger FILE`. A ledger without a file
 * (a plan that sends nothing) only lives in memory.
 */
export class Ledger {
  private entries: LedgerEntry[];

  /** Writes `existing` to `file` (replacing it). Runs open their ledger with `Ledger.forRun`, which never overwrites live entries. */
  constructor(
    readonly file: string | undefined,
    existing: LedgerEntry[] = [],
  ) {
    this.entries = [...existing];
    if (file) makeDirectory(dirname(file), `ledger directory ${dirname(file)}`);
    this.flush();
  }

  /**
   * The ledger of a new run. A ledger file that still lists resources (a crashed or killed run) is never overwritten:
   * the run refuses until `conformance cleanup` has deleted them. A file that is not a ledger is never overwritten either.
   */
  static forRun(file: string): Ledger {
    if (existsSync(file)) {
      const left = Ledger.read(file);
      if (left.length > 0) {
        throw new UsageError(
          `${file} still lists ${left.length} resource${left.length === 1 ? '' : 's'} of an earlier run that were not deleted`,
          `run \`conformance cleanup --ledger ${file}\` first, or pass another --report-dir`,
        );
      }
    }
    return new Ledger(file);
  }

  /** The entries of a ledger file; a UsageError when the file is not a ledger (it is then left as it is). */
  static read(file: string): LedgerEntry[] {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`ledger ${file} is not readable: ${errorMessage(error)}`, 'pass a ledger.json written by conformance run');
    }
    const entries = isObject(data) ? data.entries : undefined;
    const known = isObject(data) && Object.keys(data).every((k) => k === 'kind' || k === 'entries') && (data.kind === undefined || data.kind === KIND);
    if (!known || !Array.isArray(entries) || !entries.every(isEntry)) {
      throw new UsageError(`${file} is not a conformance ledger`, 'pass the ledger.json from the report directory of the interrupted run');
    }
    return entries;
  }

  add(entry: LedgerEntry): void {
    this.entries.push(entry);
    this.flush();
  }

  /**
   * Forgets a deleted resource. The file catches up within 200 ms (or at the next add or `close`): a deleted
   * resource still on file costs a cleanup a 404, while an unrecorded one would leak, so only adds are written at once.
   */
  remove(path: string): void {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.path !== path);
    if (this.entries.length === before || this.pending) return;
    this.pending = setTimeout(() => this.flush(), 200);
    this.pending.unref();
  }

  /** Updates an entry in place (an identity read after the create) and writes it. */
  update(path: string, change: Partial<LedgerEntry>): void {
    const entry = this.entries.find((e) => e.path === path);
    if (!entry) return;
    Object.assign(entry, change);
    this.flush();
  }

  /** Writes what is pending. */
  close(): void {
    if (this.pending) this.flush();
  }

  private pending: NodeJS.Timeout | undefined;

  list(): readonly LedgerEntry[] {
    return this.entries;
  }

  private flush(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ kind: KIND, entries: this.entries }, null, 2)}\n`);
    renameSync(tmp, this.file);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isEntry(value: unknown): value is LedgerEntry {
  return (
    isObject(value) &&
    ['runId', 'provider', 'target', 'resource', 'path', 'createdAt'].every((k) => typeof value[k] === 'string') &&
    isObject(value.params) &&
    Object.values(value.params).every((v) => typeof v === 'string')
  );
}
