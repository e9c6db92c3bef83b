import * as allure from 'allure-js-commons';
import { ContentType, Status } from 'allure-js-commons';
import type { Exchange } from '../src/checks/types.ts';
import { curlCommand } from '../src/http/curl.ts';
import type { OperationCoverage, OperationTiming } from '../src/report/coverage.ts';
import type { CheckResult, FailureRecord } from '../src/report/model.ts';
import type { Redactor } from '../src/report/redact.ts';
import type { RunEvent } from '../src/run/events.ts';
import type { ResourceProfile } from '../src/providers/types.ts';
import type { Operation } from '../src/spec/types.ts';

const MAX_BODY_CHARS = 4000;

/** A redacted exchange, shaped like a report failure: what Allure attaches. */
export type SampleExchange = Pick<FailureRecord, 'request' | 'response' | 'curl'>;

/** One request of a stateful (lifecycle) check, as its step shows it. */
export interface ProbeRecord {
  /** The operation the probe judges: not always the one under test (list-omits-deleted judges the list after a delete). */
  operationId: string;
  check: string;
  failures: string[];
  request?: string;
  status?: number;
  readyMs?: number;
}

/**
 * Watches the engine's events for what Allure shows per operation and the report does not keep: a redacted
 * sample exchange (the first valid one answered 2xx, else the first), and every probe of the lifecycle checks.
 * Everything is redacted on the way in.
 */
export class AllureEvidence {
  private readonly samples = new Map<string, { exchange: SampleExchange; good: boolean }>();
  private readonly probes = new Map<string, ProbeRecord[]>();
  /** The operation whose test is running: probes are shown in the test during which they happened. */
  current: string | undefined;

  constructor(private readonly redactor: Redactor) {}

  /** Wraps an event sink: events go on to `next` unchanged. */
  wrap(next: (event: RunEvent) => void): (event: RunEvent) => void {
    return (event) => {
      next(event);
      if (event.type === 'exchange') this.onExchange(event.exchange);
      else if (event.type === 'probe') {
        const owner = this.current ?? event.operation.id;
        const list = this.probes.get(owner) ?? [];
        const r = this.redactor;
        list.push({
          operationId: event.operation.id,
          check: event.check,
          failures: event.failures.map((f) => r.text(f)),
          ...(event.exchange ? { request: `${event.exchange.request.method} ${pathOf(r.url(event.exchange.request.url))}` } : {}),
          ...(event.exchange?.response ? { status: event.exchange.response.status } : {}),
          ...(event.lifecycle ? { readyMs: event.lifecycle.readyMs } : {}),
        });
        this.probes.set(owner, list);
      }
    };
  }

  sampleFor(operationId: string): SampleExchange | undefined {
    return this.samples.get(operationId)?.exchange;
  }

  /** The probes sent while the test of `operationId` ran. */
  probesFor(operationId: string): ProbeRecord[] {
    return this.probes.get(operationId) ?? [];
  }

  private onExchange(exchange: Exchange): void {
    const prior = this.samples.get(exchange.operation.id);
    const good = exchange.intent === 'valid' && exchange.response !== undefined && exchange.response.status < 300;
    if (prior && (prior.good || !good)) return;
    const r = this.redactor;
    const { request, response } = exchange;
    this.samples.set(exchange.operation.id, {
      good,
      exchange: {
        request: { method: request.method, url: r.url(request.url), headers: r.headers(request.headers), ...(request.body !== undefined ? { body: r.body(request.body) } : {}) },
        ...(response ? { response: { status: response.status, headers: r.headers(response.headers), body: truncate(r.body(response.text) ?? '') } } : {}),
        curl: curlCommand(request, r),
      },
    });
  }
}

/**
 * The resource an operation belongs to: the profile's resource that names it, else the resource whose
 * collection appears in its path (deepest first), else the path's first collection segment.
 */
export function resourceOf(operation: Pick<Operation, 'id' | 'path'>, resources: readonly ResourceProfile[], operations: readonly Pick<Operation, 'id' | 'path'>[]): string {
  for (const r of resources) {
    const ids = [r.create, r.read, r.delete, r.list, ...(r.update ?? []), ...(r.upsert ?? []), ...(r.busyConflict?.operations ?? []), r.beforeDelete?.operationId];
    if (ids.includes(operation.id)) return r.name;
  }
  const collections = new Map<string, string>();
  for (const r of resources) {
    for (const id of [r.create, r.list]) {
      const path = operations.find((o) => o.id === id)?.path;
      const last = path && collectionSegments(path).at(-1);
      if (last && !collections.has(last)) collections.set(last, r.name);
    }
  }
  const segments = collectionSegments(operation.path);
  for (const segment of [...segments].reverse()) {
    const name = collections.get(segment);
    if (name) return name;
  }
  return segments[0] ?? 'api';
}

function collectionSegments(path: string): string[] {
  return path.split('/').filter((s) => s && !s.includes('{') && !/^v\d+$/i.test(s));
}

export interface AllureTestInfo {
  provider: string;
  providerTitle: string;
  resource: string;
  operation: Pick<Operation, 'id' | 'method' | 'path' | 'summary' | 'tags'>;
  seed: number;
  results: CheckResult[];
  coverage?: OperationCoverage;
  timing?: OperationTiming;
  probes: ProbeRecord[];
  sample?: SampleExchange;
}

/**
 * Labels, description, one step per check with its outcome (lifecycle checks with a step per probe), and the
 * request, response and curl of the first failing exchange, or of a sample exchange when nothing failed.
 * Everything attached comes redacted (report failures are redacted by the collector, samples by AllureEvidence).
 */
export async function describeForAllure(info: AllureTestInfo): Promise<void> {
  const { operation, results } = info;
  const applied = results.filter((r) => r.outcome !== 'skipped');
  const failed = results.filter((r) => r.outcome === 'failed');
  await allure.parentSuite(info.provider);
  await allure.feature(info.provider);
  await allure.suite(info.resource);
  await allure.story(operation.id);
  await allure.labels(
    { name: 'provider', value: info.provider },
    { name: 'resource', value: info.resource },
    { name: 'operationId', value: operation.id },
    { name: 'method', value: operation.method.toUpperCase() },
    { name: 'path', value: operation.path },
    ...applied.map((r) => ({ name: 'check', value: r.check })),
    ...failed.map((r) => ({ name: 'failedCheck', value: r.check })),
  );
  if (applied.length) await allure.tags(...applied.map((r) => r.check));
  await allure.parameter('seed', String(info.seed), { excluded: true });
  await allure.description(descriptionOf(info));

  const probesByCheck = new Map<string, ProbeRecord[]>();
  const others = new Map<string, ProbeRecord[]>();
  for (const p of info.probes) {
    if (p.operationId === operation.id) probesByCheck.set(p.check, [...(probesByCheck.get(p.check) ?? []), p]);
    else others.set(`${p.check} of ${p.operationId}`, [...(others.get(`${p.check} of ${p.operationId}`) ?? []), p]);
  }
  for (const result of applied) await checkStep(result, probesByCheck.get(result.check) ?? []);
  // Checks of other operations that this operation's requests settle (list-omits-deleted after a delete).
  for (const [name, probes] of others) {
    const failing = probes.some((p) => p.failures.length > 0);
    await allure
      .step(`${name}: ${failing ? 'failed' : 'passed'} (judged here)`, async () => {
        for (const probe of probes) await probeStep(probe);
        if (failing) throw new CheckFailed(probes.flatMap((p) => p.failures).join('\n'));
      })
      .then(undefined, ignoreCheckFailed);
  }
  const skipped = results.filter((r) => r.outcome === 'skipped').map((r) => r.check);
  if (skipped.length) await allure.logStep(`not applicable: ${skipped.join(', ')}`, Status.SKIPPED);

  const firstFailure = failed.flatMap((r) => r.failures)[0];
  const evidence: SampleExchange | undefined = firstFailure ?? info.sample;
  if (evidence) {
    const label = firstFailure ? 'first failing exchange' : 'sample exchange';
    if (evidence.request.method) await allure.attachment(`request (${label})`, JSON.stringify(requestView(evidence.request), null, 2), ContentType.JSON);
    if (evidence.response) await allure.attachment(`response (${label})`, JSON.stringify(responseView(evidence.response), null, 2), ContentType.JSON);
    if (evidence.curl) await allure.attachment(`curl (${label})`, evidence.curl, ContentType.TEXT);
    if (firstFailure?.shrunk) await allure.attachment('curl (smallest failing request)', firstFailure.shrunk.curl, ContentType.TEXT);
  }
}

/** A step per check, named with its outcome; a failed check's step fails, with a nested step per probe. */
async function checkStep(result: CheckResult, probes: ProbeRecord[]): Promise<void> {
  const warnings = result.warnings ?? [];
  const name = `${result.check}: ${result.outcome} (${result.checked} judged${result.failures.length ? `, ${result.failures.reduce((n, f) => n + f.count, 0)} failing` : ''}${warnings.length ? `, ${warnings.reduce((n, f) => n + f.count, 0)} warnings where the docs are silent` : ''})`;
  if (probes.length === 0 && result.outcome === 'passed' && warnings.length === 0) {
    await allure.logStep(name, Status.PASSED);
    return;
  }
  await allure
    .step(name, async () => {
      for (const probe of probes) await probeStep(probe);
      for (const f of result.failures) await allure.logStep(`${f.message}${f.count > 1 ? ` (×${f.count})` : ''}`, Status.FAILED);
      // Warnings never fail the step: they are logged as passed steps, named as warnings.
      for (const w of warnings) await allure.logStep(`WARNING (not a failure): ${w.message}${w.count > 1 ? ` (×${w.count})` : ''}`, Status.PASSED);
      if (result.outcome === 'failed') throw new CheckFailed(result.failures.map((f) => f.message).join('\n'));
    })
    .then(undefined, ignoreCheckFailed);
}

async function probeStep(probe: ProbeRecord): Promise<void> {
  const what = `${probe.request ?? 'probe'}${probe.status !== undefined ? ` → ${probe.status}` : ''}${probe.readyMs !== undefined ? `, ready after ${probe.readyMs} ms` : ''}`;
  await allure.logStep(probe.failures.length ? `${what}: ${probe.failures.join('; ')}` : what, probe.failures.length ? Status.FAILED : Status.PASSED);
}

/** A failed check fails its step, not the code that records it. */
function ignoreCheckFailed(error: unknown): void {
  if (!(error instanceof CheckFailed)) throw error;
}

/** Marks a check's step failed (Allure reads "assert" in the name as a failure rather than a broken step). */
class CheckFailed extends Error {
  override name = 'AssertionError';
}

function descriptionOf(info: AllureTestInfo): string {
  const { operation, coverage, timing } = info;
  const lines = [`**${operation.method.toUpperCase()} ${operation.path}** (\`${operation.id}\`) of ${info.providerTitle}${operation.summary ? `: ${operation.summary}` : ''}`, ''];
  if (coverage) {
    lines.push(`- requests: ${coverage.requests}`);
    lines.push(`- status codes seen: ${Object.entries(coverage.seen).map(([s, n]) => `${s} ×${n}`).join(', ') || 'none'}`);
    lines.push(`- documented, never seen: ${coverage.neverSeen.join(', ') || 'none'}`);
    if (coverage.undocumented.length) lines.push(`- **undocumented status codes answered: ${coverage.undocumented.join(', ')}**`);
  }
  if (timing) lines.push(`- time: ${timing.durationMs} ms${timing.latencyMs ? `; latency p50 ${timing.latencyMs.p50} ms, p95 ${timing.latencyMs.p95} ms, max ${timing.latencyMs.max} ms` : ''}`);
  lines.push(`- seed: ${info.seed} (replay with CONFORMANCE_SEED=${info.seed})`);
  return lines.join('\n');
}

function requestView(request: FailureRecord['request']): unknown {
  return { method: request.method, url: request.url, headers: request.headers, ...(request.body !== undefined ? { body: jsonOrText(request.body) } : {}) };
}

function responseView(response: NonNullable<FailureRecord['response']>): unknown {
  return { status: response.status, headers: response.headers, body: jsonOrText(response.body) };
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

function truncate(text: string): string {
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}... (${text.length} characters)` : text;
}
