import type { RunEvent } from '../run/events.ts';
import { safeTarget } from '../report/model.ts';

/** Writes a status line in place (a TTY); `undefined` clears it. */
export type StatusLine = (text: string | undefined) => void;

/**
 * Progress: one plain line per operation, with the checks that failed, which reads well in CI logs.
 * On a terminal (`status` given) a live line below them also shows the operation under way, the checks
 * judged so far and the failures so far, rewritten at most ten times a second.
 */
export function progressPrinter(write: (line: string) => void, status?: StatusLine): (event: RunEvent) => void {
  let provider = '';
  let requests = 0;
  let failedChecks = new Set<string>();
  let total = 0;
  let done = 0;
  let judged = 0;
  let failures = 0;
  let current = '';
  let lastStatus = 0;
  let transientLines = 0;
  const line = (text: string) => {
    status?.(undefined);
    write(text);
  };
  const refresh = (force = false) => {
    if (!status) return;
    const now = Date.now();
    if (!force && now - lastStatus < 100) return;
    lastStatus = now;
    status(`${provider} [${done}/${total}] ${current} | ${judged} checks judged, ${failures} failed, ${requests} requests`);
  };
  return (event) => {
    switch (event.type) {
      case 'run-start':
        provider = event.provider;
        total = event.operations.length;
        done = 0;
        line(`${event.provider}: ${total} operations against ${safeTarget(event.target)} (seed ${event.seed})`);
        break;
      case 'operation-start':
        requests = 0;
        failedChecks = new Set();
        current = `${event.operation.method.toUpperCase()} ${event.operation.path}`;
        refresh(true);
        break;
      case 'exchange':
        requests++;
        judged += event.outcomes.length;
        for (const o of event.outcomes) {
          if (o.failures.length === 0) continue;
          failedChecks.add(o.check);
          failures++;
        }
        refresh();
        break;
      case 'probe':
        judged++;
        if (event.failures.length > 0) failures++;
        refresh();
        break;
      case 'transient': {
        // The first few are shown; all are counted in the report's transient block.
        if (transientLines > 5) break;
        const what = event.status === 429 ? 'rate limited (429)' : 'unavailable (503)';
        if (event.waitMs === undefined) line(`  ${what} past the retry budget: this answer goes to the checks`);
        else line(`  ${what}: waiting ${Math.round(event.waitMs)} ms before retrying`);
        if (++transientLines > 5) line('  (further 429/503 answers are counted in the report, not shown)');
        break;
      }
      case 'operation-end': {
        done++;
        const op = event.operation;
        const verdict = failedChecks.size > 0 ? `FAIL ${[...failedChecks].join(', ')}` : 'ok';
        line(`  [${String(done).padStart(String(total).length)}/${total}] ${op.method.toUpperCase().padEnd(6)} ${op.path} (${op.id}) ${requests} requests: ${verdict}`);
        break;
      }
      case 'warning':
        line(`  warning: ${event.message}`);
        break;
      case 'run-end':
        status?.(undefined);
        break;
      default:
        break;
    }
  };
}

/** A status line on a terminal stream: rewritten in place with a carriage return, cut to the terminal width. */
export function terminalStatus(stream: NodeJS.WriteStream): StatusLine {
  let shown = false;
  return (text) => {
    if (text === undefined) {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
      return;
    }
    const width = Math.max(20, (stream.columns || 80) - 1);
    stream.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    shown = true;
  };
}
