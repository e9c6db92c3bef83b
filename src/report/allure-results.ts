import { createHash, randomUUID } from 'node:crypto';
import { Stage, Status, type StepResult, type TestResult } from 'allure-js-commons';
import { FileSystemWriter } from 'allure-js-commons/sdk/reporter';
import type { CheckResult, ConformanceReport } from './model.ts';

/**
 * `conformance run --allure DIR`: Allure 2 results straight from the report, without vitest. One test per operation
 * (as the vitest suites make), a step per check that applied, the test's error the first failure's own message,
 * the failure's curl line and redacted response as attachments; environment.properties names target, provider,
 * seed and the tool's version. Everything comes from the report, which is already redacted.
 */
export function writeAllureResults(report: ConformanceReport, dir: string, version: string): number {
  const writer = new FileSystemWriter({ resultsDir: dir });
  const byOperation = new Map<string, CheckResult[]>();
  for (const r of report.results) {
    const key = `${r.provider}\u0000${r.operationId}`;
    byOperation.set(key, [...(byOperation.get(key) ?? []), r]);
  }
  const timing = new Map((report.timing?.operations ?? []).map((t) => [`${t.provider}\u0000${t.operationId}`, t.durationMs]));
  let start = Date.parse(report.run.startedAt) || Date.now();
  for (const [key, results] of byOperation) {
    const { provider, operationId, method, path } = results[0]!;
    const applied = results.filter((r) => r.outcome !== 'skipped');
    const failed = applied.filter((r) => r.outcome === 'failed');
    const stop = start + Math.round(timing.get(key) ?? 0);
    const first = failed[0]?.failures[0];
    const attachments = failed.flatMap((r) => {
      const f = r.failures[0]!;
      const source = `${randomUUID()}-attachment.txt`;
      const response = f.response ? `\n\nHTTP ${f.response.status}\n${Object.entries(f.response.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${f.response.body ?? ''}` : '';
      writer.writeAttachment(source, Buffer.from(`${f.message}\n\n${f.curl}${response}\n`));
      return [{ name: `${r.check}: request and response`, type: 'text/plain', source }];
    });
    const steps: StepResult[] = applied.map((r) => ({
      name: r.check,
      status: r.outcome === 'failed' ? Status.FAILED : Status.PASSED,
      statusDetails: r.outcome === 'failed' ? { message: r.failures.map((f) => `${f.message} (x${f.count})`).join('\n') } : {},
      stage: Stage.FINISHED,
      steps: [],
      attachments: [],
      parameters: [{ name: 'judged', value: String(r.checked) }],
      start,
      stop,
    }));
    const result: TestResult = {
      uuid: randomUUID(),
      historyId: createHash('md5').update(`${provider}|${operationId}`).digest('hex'),
      testCaseId: createHash('md5').update(`${provider}|${operationId}`).digest('hex'),
      name: `${method} ${path}`,
      fullName: `${provider}.${operationId}`,
      status: failed.length > 0 ? Status.FAILED : applied.length > 0 ? Status.PASSED : Status.SKIPPED,
      statusDetails: first ? { message: `${failed[0]!.check}: ${first.message}${failed.length > 1 ? ` (and ${failed.length - 1} more failing checks)` : ''}`, trace: first.curl } : {},
      stage: Stage.FINISHED,
      steps,
      attachments,
      parameters: [{ name: 'seed', value: String(report.run.seed) }],
      labels: [
        { name: 'framework', value: 'dbaas-conformance' },
        { name: 'parentSuite', value: 'conformance' },
        { name: 'suite', value: provider },
        { name: 'subSuite', value: operationId },
        { name: 'feature', value: provider },
        { name: 'story', value: operationId },
        ...failed.map((r) => ({ name: 'tag', value: r.check })),
      ],
      links: [],
      start,
      stop,
    };
    writer.writeResult(result);
    start = stop;
  }
  writer.writeEnvironmentInfo({
    target: report.run.target,
    provider: report.run.provider,
    seed: String(report.run.seed),
    'dbaas-conformance': version,
    started: report.run.startedAt,
    ...(report.run.stopReason ? { stopped: report.run.stopReason } : {}),
  });
  return byOperation.size;
}
