import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { assembleReport, emptyTransient } from '../src/report/coverage.ts';
import { mergeReports } from '../src/report/merge.ts';
import type { ConformanceReport } from '../src/report/model.ts';
import { writeReports } from '../src/report/write.ts';
import { PARTS_DIR, type ConformanceMeta } from '../suites/support.ts';

/**
 * Writes conformance.json, junit.xml, summary.md and report.html for the conformance suites,
 * into CONFORMANCE_REPORT_DIR (default ./reports). Each suite leaves its provider's full report in
 * `.parts/`; those are merged. A suite that died before writing its part is rebuilt from its tests' metadata.
 */
export default class ConformanceReporter implements Reporter {
  private started = Date.now();
  private readonly dir = process.env.CONFORMANCE_REPORT_DIR ?? 'reports';

  onTestRunStart(): void {
    this.started = Date.now();
    rmSync(join(this.dir, PARTS_DIR), { recursive: true, force: true });
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
    const partsDir = join(this.dir, PARTS_DIR);
    const parts: ConformanceReport[] = existsSync(partsDir) ? readdirSync(partsDir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(partsDir, f), 'utf8')) as ConformanceReport) : [];
    const covered = new Set(parts.map((p) => p.run.provider));
    for (const provider of new Set(metas.map((m) => m.provider))) {
      if (!covered.has(provider)) parts.push(this.fromMetas(metas.filter((m) => m.provider === provider)));
    }
    rmSync(partsDir, { recursive: true, force: true });
    writeReports(mergeReports(parts), this.dir);
  }

  private fromMetas(metas: ConformanceMeta[]): ConformanceReport {
    return assembleReport({
      run: { provider: metas[0]!.provider, target: metas[0]!.target, seed: metas[0]!.seed, startedAt: new Date(this.started).toISOString(), durationMs: Date.now() - this.started, interrupted: true, stopReason: 'the suite ended before writing its report' },
      warnings: [],
      lifecycle: [],
      results: metas.flatMap((m) => m.results),
      coverage: metas.flatMap((m) => (m.coverage ? [m.coverage] : [])),
      timing: metas.flatMap((m) => (m.timing ? [m.timing] : [])),
      transient: emptyTransient(),
    });
  }
}
