import type { RunEvent } from '../run/events.ts';
import { safeTarget } from '../report/model.ts';

/** Plain, line-based progress: one line per operation, with the checks that failed. Works the same on a TTY and in CI. */
export function progressPrinter(write: (line: string) => void): (event: RunEvent) => void {
  let requests = 0;
  let failedChecks = new Set<string>();
  let total = 0;
  let done = 0;
  return (event) => {
    switch (event.type) {
      case 'run-start':
        total = event.operations.length;
        done = 0;
        write(`${event.provider}: ${total} operations against ${safeTarget(event.target)} (seed ${event.seed})`);
        break;
      case 'operation-start':
        requests = 0;
        failedChecks = new Set();
        break;
      case 'exchange':
        requests++;
        for (const o of event.outcomes) if (o.failures.length > 0) failedChecks.add(o.check);
        break;
      case 'operation-end': {
        done++;
        const op = event.operation;
        const verdict = failedChecks.size > 0 ? `FAIL ${[...failedChecks].join(', ')}` : 'ok';
        write(`  [${String(done).padStart(String(total).length)}/${total}] ${op.method.toUpperCase().padEnd(6)} ${op.path} (${op.id}) ${requests} requests: ${verdict}`);
        break;
      }
      case 'warning':
        write(`  warning: ${event.message}`);
        break;
      default:
        break;
    }
  };
}
