import { UsageError } from '../errors.ts';
import type { RunEvent } from './events.ts';

/** After this many answers with the run's credentials and not one success, the run stops: it cannot test anything. */
const ENOUGH = 12;
const REFUSED = new Set([401, 403]);
const NOT_THERE = new Set([400, 401, 403, 404]);

interface Tally {
  answered: number;
  succeeded: number;
  refused: number;
  missing: number;
  /** Reads among them: a read has no data to refuse, so its 400 or 404 is about the path. */
  reads: number;
}

const empty = (): Tally => ({ answered: 0, succeeded: 0, refused: 0, missing: 0, reads: 0 });

/**
 * Watches the answers to requests sent with the run's credentials (valid data and lifecycle reads). When not one of
 * them succeeds and they are refused (401/403), the credentials are wrong; when every request under a path
 * variable (ClickHouse's organizationId) is refused or not found, its value is wrong. Either way the run cannot test
 * the API and must not pass: `verdict` names the cause in one line (exit 2), and `onHopeless` stops the run early.
 */
export class AccessGuard {
  private readonly all = empty();
  private readonly byVariable = new Map<string, Tally>();
  private stopped = false;

  constructor(
    private readonly variables: Readonly<Record<string, string>>,
    /** The run's Authorization header: only requests that carried it count. */
    private readonly authorization: string | undefined,
    private readonly onHopeless: () => void = () => {},
  ) {}

  observe(event: RunEvent): void {
    if (event.type !== 'exchange') return;
    const { exchange } = event;
    if ((exchange.intent !== 'valid' && exchange.intent !== 'lifecycle') || !exchange.response) return;
    // Only requests that carried the run's own credentials (a probe may send another account's, a public operation none).
    if (this.authorization === undefined || exchange.request.headers.authorization !== this.authorization) return;
    const pathParams = ((exchange.input as { path?: Record<string, unknown> } | undefined)?.path ?? {}) as Record<string, unknown>;
    const status = exchange.response.status;
    const tallies = [this.all];
    for (const [name, value] of Object.entries(this.variables)) {
      if (!exchange.operation.path.includes(`{${name}}`) || String(pathParams[name]) !== value) continue;
      let tally = this.byVariable.get(name);
      if (!tally) this.byVariable.set(name, (tally = empty()));
      tallies.push(tally);
    }
    for (const tally of tallies) {
      tally.answered++;
      if (status >= 200 && status < 300) tally.succeeded++;
      if (REFUSED.has(status)) tally.refused++;
      if (NOT_THERE.has(status)) tally.missing++;
      if (exchange.request.method === 'GET') tally.reads++;
    }
    if (!this.stopped && this.verdict()) {
      this.stopped = true;
      this.onHopeless();
    }
  }

  /** Why the run could not test the API, or undefined when it could. */
  verdict(): UsageError | undefined {
    const a = this.all;
    if (a.answered >= ENOUGH && a.succeeded === 0 && a.refused === a.answered) {
      return new UsageError(
        `credentials refused: every request with the run's credentials was answered 401/403 (${a.answered} requests)`,
        'check CONFORMANCE_TOKEN, or CONFORMANCE_USERNAME and CONFORMANCE_PASSWORD',
      );
    }
    for (const [name, t] of this.byVariable) {
      if (t.answered >= ENOUGH && t.reads >= 3 && t.succeeded === 0 && t.missing === t.answered) {
        return new UsageError(
          `path parameter ${name}='${this.variables[name]}' is unknown or not yours: every request under it was answered 400/401/403/404 (${t.answered} requests)`,
          `check --var ${name}=VALUE or CONFORMANCE_VAR_${name.toUpperCase()}, and that the credentials may use it`,
        );
      }
    }
    return undefined;
  }
}
