import type { RunEvent } from '../run/events.ts';
import { safeTarget } from '../report/model.ts';

/** Writes a status line in place (a TTY); `undefined` clears it. */
export type StatusLine = (text: string | undefined) => void;

interface ProviderProgress {
  name: string;
  total: number;
  done: number;
  current: string;
}

/**
 * Progress for one run of one or more providers (they may run at the same time).
 * Plain lines: one per finished operation, with the checks that failed, which reads well in CI logs;
 * lines carry the provider's name when several run. On a terminal (`status` given) a live line below
 * them shows each provider's position and operation under way, the checks judged and the failures so far,
 * rewritten at most ten times a second.
 */
export class ProgressBoard {
  private readonly providers: ProviderProgress[] = [];
  private judged = 0;
  private failures = 0;
  private requests = 0;
  private lastStatus = 0;
  private transientLines = 0;

  constructor(
    private readonly write: (line: string) => void,
    private readonly status?: StatusLine,
    private readonly prefixed = false,
  ) {}

  /** The event sink for one provider's session. */
  printer(): (event: RunEvent) => void {
    const me: ProviderProgress = { name: '', total: 0, done: 0, current: '' };
    let requests = 0;
    let failedChecks = new Set<string>();
    const tag = () => (this.prefixed ? `${me.name} ` : '');
    return (event) => {
      switch (event.type) {
        case 'run-start':
          Object.assign(me, { name: event.provider, total: event.operations.length, done: 0 });
          this.providers.push(me);
          this.line(`${event.provider}: ${me.total} operations against ${safeTarget(event.target)} (seed ${event.seed})`);
          break;
        case 'operation-start':
          requests = 0;
          failedChecks = new Set();
          me.current = `${event.operation.method.toUpperCase()} ${event.operation.path}`;
          this.refresh(true);
          break;
        case 'exchange':
          requests++;
          this.requests++;
          this.judged += event.outcomes.length;
          for (const o of event.outcomes) {
            if (o.failures.length === 0) continue;
            failedChecks.add(o.check);
            this.failures++;
          }
          this.refresh();
          break;
        case 'probe':
          this.judged++;
          if (event.failures.length > 0) {
            failedChecks.add(event.check);
            this.failures++;
          }
          this.refresh();
          break;
        case 'transient': {
          // The first few are shown; all are counted in the report's transient block.
          if (this.transientLines > 5) break;
          const what = event.status === 429 ? 'rate limited (429)' : 'unavailable (503)';
          if (event.waitMs === undefined) this.line(`  ${tag()}${what} past the retry budget: this answer goes to the checks`);
          else this.line(`  ${tag()}${what}: waiting ${Math.round(event.waitMs)} ms before retrying`);
          if (++this.transientLines > 5) this.line('  (further 429/503 answers are counted in the report, not shown)');
          break;
        }
        case 'operation-end': {
          me.done++;
          me.current = '';
          const op = event.operation;
          const verdict = failedChecks.size > 0 ? `FAIL ${[...failedChecks].join(', ')}` : 'ok';
          this.line(`  ${tag()}[${String(me.done).padStart(String(me.total).length)}/${me.total}] ${op.method.toUpperCase().padEnd(6)} ${op.path} (${op.id}) ${requests} requests: ${verdict}`);
          break;
        }
        case 'warning':
          this.line(`  ${tag()}${event.prominent ? 'WARNING' : 'warning'}: ${event.message}`);
          break;
        case 'run-end':
          me.current = 'cleaning up';
          this.refresh(true);
          break;
        default:
          break;
      }
    };
  }

  /** Clears the status line for good (the run is over). */
  end(): void {
    this.status?.(undefined);
  }

  /** Prints a line of its own (a plan, a notice) without garbling the status line. */
  print(text: string): void {
    this.line(text);
  }

  private line(text: string): void {
    this.status?.(undefined);
    this.write(text);
    this.refresh(true);
  }

  private refresh(force = false): void {
    if (!this.status) return;
    const now = Date.now();
    if (!force && now - this.lastStatus < 100) return;
    this.lastStatus = now;
    const where = this.providers.map((p) => `${p.name} ${p.done}/${p.total}${p.current ? ` ${p.current}` : ''}`).join(' | ');
    this.status(`${where} | ${this.judged} checks judged, ${this.failures} failed, ${this.requests} requests`);
  }
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
