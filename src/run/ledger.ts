import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface LedgerEntry {
  runId: string;
  provider: string;
  target: string;
  resource: string;
  /** The resource's path below the target, as used by its read and delete operations. */
  path: string;
  /** Path parameters that address the resource. */
  params: Record<string, string>;
  createdAt: string;
}

/**
 * The resources a run has created and not yet deleted, persisted to disk before the run uses them,
 * so an interrupted run can be cleaned up by `conformance cleanup --ledger FILE`.
 */
export class Ledger {
  private entries: LedgerEntry[];

  /** Opens a ledger file; `existing` resumes one that an earlier run left behind. */
  constructor(
    readonly file: string,
    existing: LedgerEntry[] = [],
  ) {
    this.entries = [...existing];
    mkdirSync(dirname(file), { recursive: true });
    this.flush();
  }

  static read(file: string): LedgerEntry[] {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { entries?: LedgerEntry[] };
    return Array.isArray(data.entries) ? data.entries : [];
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
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ entries: this.entries }, null, 2)}\n`);
    renameSync(tmp, this.file);
  }
}
