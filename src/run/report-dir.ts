import { existsSync, mkdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';

/**
 * Creates a directory and its missing parents one level at a time. (Node's recursive mkdir never returns for a path
 * under /proc whose parent exists but refuses children: it retries forever, and a synchronous loop even ignores signals.)
 * Throws a UsageError naming `what` when the path cannot be a directory.
 */
export function makeDirectory(dir: string, what = dir): string[] {
  const absolute = resolve(dir);
  const missing: string[] = [];
  let at = absolute;
  while (!existsSync(at)) {
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  if (existsSync(at) && !statSync(at).isDirectory()) {
    throw new UsageError(`${what}: ${at} is a file, not a directory`, 'pass a directory (it is created when missing)');
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statSync(d).isDirectory()) continue;
      throw new UsageError(`${what}: cannot create ${d} (${code ?? (error as Error).message})`, 'pass a directory you can write to');
    }
  }
  return missing;
}

/**
 * Checks, before the first request is sent, that the reports and the ledger can be written to `dir`. Returns what
 * undoes it for a run that ends without writing anything there: the directories it created, removed while empty.
 */
export function checkReportDir(dir: string): () => void {
  const created = makeDirectory(dir, `--report-dir ${dir}`);
  const probe = join(dir, `.conformance-write-check-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (error) {
    throw new UsageError(`--report-dir ${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'pass a directory you can write to');
  }
  return () => {
    for (const d of created.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        return; // not empty (a ledger, or reports): kept
      }
    }
  };
}
