import { addTransient, assembleReport, emptyTransient } from './coverage.ts';
import type { ConformanceReport, FailureRecord } from './model.ts';

/** Adds findings of another shard: the same failure (by id, else by message) counts once. */
function addRecords(into: FailureRecord[], more: FailureRecord[]): void {
  for (const f of more) {
    const same = into.find((p) => (p.id !== undefined && p.id === f.id) || p.message === f.message);
    if (same) same.count += f.count;
    else into.push({ ...f });
  }
}

/**
 * Combines per-provider reports, or the shard reports of one run, into one. Results are keyed by
 * provider, operation and check: when shards overlap, a check's requests and failures add up, so
 * merging the shards of a run gives the same results as the unsharded run.
 */
export function mergeReports(reports: ConformanceReport[]): ConformanceReport {
  if (reports.length === 1) return reports[0]!;
  const key = (r: { provider: string; operationId: string }) => `${r.provider}\u0000${r.operationId}`;
  const results = new Map<string, ConformanceReport['results'][number]>();
  for (const r of reports.flatMap((x) => x.results)) {
    const k = `${key(r)}\u0000${r.check}`;
    const prior = results.get(k);
    if (!prior) results.set(k, { ...r, failures: r.failures.map((f) => ({ ...f })), warnings: (r.warnings ?? []).map((f) => ({ ...f })) });
    else {
      prior.checked += r.checked;
      addRecords(prior.failures, r.failures);
      addRecords((prior.warnings ??= []), r.warnings ?? []);
      prior.outcome = prior.failures.length > 0 ? 'failed' : prior.checked > 0 ? 'passed' : 'skipped';
    }
  }
  const coverage = new Map<string, ConformanceReport['coverage']['operationList'][number]>();
  for (const c of reports.flatMap((x) => x.coverage?.operationList ?? [])) {
    const prior = coverage.get(key(c));
    if (!prior) coverage.set(key(c), { ...c, seen: { ...c.seen } });
    else {
      prior.requests += c.requests;
      for (const [status, n] of Object.entries(c.seen)) prior.seen[status] = (prior.seen[status] ?? 0) + n;
      prior.neverSeen = prior.neverSeen.filter((d) => c.neverSeen.includes(d));
      prior.undocumented = [...new Set([...prior.undocumented, ...c.undocumented])].sort();
    }
  }
  const timing = new Map<string, ConformanceReport['timing']['operations'][number]>();
  for (const t of reports.flatMap((x) => x.timing?.operations ?? [])) {
    const prior = timing.get(key(t));
    if (!prior) timing.set(key(t), { ...t });
    else {
      prior.durationMs += t.durationMs;
      prior.requests += t.requests;
      // Latency percentiles of shards cannot be combined exactly: keep the slower shard's, and the true max.
      if (t.latencyMs && (!prior.latencyMs || t.latencyMs.p95 > prior.latencyMs.p95)) prior.latencyMs = { ...t.latencyMs, max: Math.max(t.latencyMs.max, prior.latencyMs?.max ?? 0) };
    }
  }
  const providers = [...new Set(reports.flatMap((r) => r.run.provider.split(',')))];
  const started = reports.map((r) => r.run.startedAt).sort();
  const ends = reports.map((r) => Date.parse(r.run.startedAt) + r.run.durationMs);
  const stopReason = reports.find((r) => r.run.stopReason)?.run.stopReason;
  return assembleReport({
    run: {
      provider: providers.join(','),
      target: [...new Set(reports.flatMap((r) => r.run.target.split(',')))].join(','),
      seed: reports[0]?.run.seed ?? 0,
      startedAt: started[0] ?? new Date().toISOString(),
      // Reports of one command follow each other; shards of a run overlap: the merged run spans both.
      durationMs: Math.max(...ends) - Date.parse(started[0]!),
      interrupted: reports.some((r) => r.run.interrupted),
      ...(stopReason ? { stopReason } : {}),
    },
    warnings: [...new Set(reports.flatMap((r) => r.warnings.map((w) => (providers.length > 1 && !w.startsWith(`${r.run.provider}: `) ? `${r.run.provider}: ${w}` : w))))],
    alerts: reports.flatMap((r) => (r.alerts ?? []).map((w) => (providers.length > 1 && !w.startsWith(`${r.run.provider}: `) ? `${r.run.provider}: ${w}` : w))),
    lifecycle: reports.flatMap((r) => r.lifecycle),
    results: [...results.values()],
    coverage: [...coverage.values()],
    timing: [...timing.values()],
    requests: reports.reduce((n, r) => n + r.summary.requests, 0),
    transient: reports.reduce((t, r) => addTransient(t, r.transient), emptyTransient()),
  });
}
