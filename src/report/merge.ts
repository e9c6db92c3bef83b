import { summarize, type ConformanceReport } from './model.ts';

/** Combines per-provider reports (or shards) into one; results keep their provider. */
export function mergeReports(reports: ConformanceReport[]): ConformanceReport {
  if (reports.length === 1) return reports[0]!;
  const results = reports.flatMap((r) => r.results);
  const sum = (pick: (r: ConformanceReport) => number) => reports.reduce((n, r) => n + pick(r), 0);
  const providers = [...new Set(reports.map((r) => r.run.provider))];
  return {
    schemaVersion: reports[0]?.schemaVersion ?? '1.0',
    run: {
      provider: providers.join(','),
      target: [...new Set(reports.map((r) => r.run.target))].join(','),
      seed: reports[0]?.run.seed ?? 0,
      startedAt: reports.map((r) => r.run.startedAt).sort()[0] ?? new Date().toISOString(),
      durationMs: sum((r) => r.run.durationMs),
      interrupted: reports.some((r) => r.run.interrupted),
    },
    summary: summarize(results, sum((r) => r.summary.operations), sum((r) => r.summary.operationsExercised), sum((r) => r.summary.requests)),
    warnings: reports.flatMap((r) => r.warnings.map((w) => `${r.run.provider}: ${w}`)),
    lifecycle: reports.flatMap((r) => r.lifecycle),
    results,
  };
}
