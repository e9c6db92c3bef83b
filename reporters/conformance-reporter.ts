import type { Reporter, TestModule } from 'vitest/node';
import type { ConformanceReport, CheckResult } from '../src/report/model.ts';
import { SCHEMA_VERSION, summarize } from '../src/report/model.ts';
import { writeReports } from '../src/report/write.ts';
import type { ConformanceMeta } from '../suites/support.ts';

/**
 * Writes conformance.json, junit.xml and summary.md from the conformance suites' test metadata,
 * into CONFORMANCE_REPORT_DIR (default ./reports).
 */
export default class ConformanceReporter implements Reporter {
  private started = Date.now();

  onTestRunStart(): void {
    this.started = Date.now();
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const metas: ConformanceMeta[] = [];
    for (const module of testModules) {
      for (const testCase of module.children.allTests()) {
        const meta = testCase.meta().conformance;
        if (meta) metas.push(meta);
      }
    }
    if (metas.length === 0) return;
    const results: CheckResult[] = metas.flatMap((m) => m.results);
    const providers = [...new Set(metas.map((m) => m.provider))];
    const report: ConformanceReport = {
      schemaVersion: SCHEMA_VERSION,
      run: {
        provider: providers.join(','),
        target: [...new Set(metas.map((m) => m.target))].join(','),
        seed: metas[0]!.seed,
        startedAt: new Date(this.started).toISOString(),
        durationMs: Date.now() - this.started,
        interrupted: false,
      },
      summary: summarize(results, metas.length, metas.filter((m) => m.requests > 0).length, metas.reduce((n, m) => n + m.requests, 0)),
      warnings: [],
      lifecycle: [],
      results,
    };
    writeReports(report, process.env.CONFORMANCE_REPORT_DIR ?? 'reports');
  }
}
