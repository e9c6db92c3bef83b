import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, assert, describe, expect, test } from 'vitest';
import { parseVars } from '../src/cli/vars.ts';
import { providerByName } from '../src/providers/registry.ts';
import { prepareRun } from '../src/run/orchestrate.ts';
import { Session } from '../src/run/session.ts';
import { ResultCollector, type CheckResult } from '../src/report/model.ts';
import type { OperationCoverage, OperationTiming } from '../src/report/coverage.ts';
import { AllureEvidence, describeForAllure, resourceOf } from './allure.ts';

/** Where each suite leaves its provider's full report for the reporter to merge (reporters/conformance-reporter.ts). */
export const PARTS_DIR = '.parts';

/** What a conformance test case hands to the reporters (reporters/conformance-reporter.ts). */
export interface ConformanceMeta {
  provider: string;
  target: string;
  seed: number;
  requests: number;
  results: CheckResult[];
  coverage?: OperationCoverage;
  timing?: OperationTiming;
}

declare module 'vitest' {
  interface TaskMeta {
    conformance?: ConformanceMeta;
  }
}

/**
 * Declares one vitest test per operation of a provider, in the engine's plan order.
 * Configuration comes from the environment: CONFORMANCE_TARGET (else the reference server),
 * CONFORMANCE_EXAMPLES, CONFORMANCE_SEED, CONFORMANCE_SPEC, CONFORMANCE_REPORT_DIR, CONFORMANCE_VAR_<name>,
 * and credentials as for the CLI.
 */
export async function defineProviderSuite(providerName: string): Promise<void> {
  const env = process.env;
  const profile = providerByName(providerName);
  const reportDir = env.CONFORMANCE_REPORT_DIR ?? 'reports';
  const seed = Number(env.CONFORMANCE_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const { config, server } = await prepareRun({
    profile,
    specFile: env.CONFORMANCE_SPEC,
    target: env.CONFORMANCE_TARGET,
    examples: Number(env.CONFORMANCE_EXAMPLES ?? 25),
    seed,
    variables: parseVars([], env),
    reportDir,
    // A ledger per provider: the suites run side by side in vitest's workers.
    ledgerName: `ledger-${profile.name}.json`,
    env,
  });
  const collector = new ResultCollector(config.redactor);
  const evidence = new AllureEvidence(config.redactor);
  const session = new Session(config, evidence.wrap(collector.sink));
  const operations = session.plan.map((p) => p.operation);

  describe(profile.title, () => {
    afterAll(async () => {
      await session.finish();
      await server?.close();
      const parts = join(reportDir, PARTS_DIR);
      mkdirSync(parts, { recursive: true });
      writeFileSync(join(parts, `${profile.name}.json`), JSON.stringify(collector.report()));
    });
    for (const planned of session.plan) {
      const op = planned.operation;
      test(`${op.method.toUpperCase()} ${op.path} (${op.id})`, async ({ task }) => {
        evidence.current = op.id;
        try {
          await session.runOperation(planned);
        } finally {
          evidence.current = undefined;
        }
        const results = collector.resultsFor(op.id);
        const coverage = collector.coverageFor(op.id);
        const timing = collector.timingFor(op.id);
        task.meta.conformance = { provider: profile.name, target: config.target, seed, requests: collector.requestsFor(op.id), results, coverage, timing };
        await describeForAllure({
          provider: profile.name,
          providerTitle: profile.title,
          resource: resourceOf(op, config.profile.resources, operations),
          operation: op,
          seed,
          results,
          coverage,
          timing,
          probes: evidence.probesFor(op.id),
          sample: evidence.sampleFor(op.id),
        });
        expect(collector.requestsFor(op.id), 'the operation was exercised').toBeGreaterThan(0);
        const failures = results.filter((r) => r.outcome === 'failed').map((r) => `${r.check}: ${r.failures[0]!.message}\n  ${r.failures[0]!.curl}`);
        // The test's error (what Allure and vitest show first) is the first failure itself, not a diff of arrays.
        if (failures.length > 0) assert.fail(`${failures[0]}${failures.length > 1 ? `\n(and ${failures.length - 1} more failing checks: ${failures.slice(1).map((f) => f.split(':')[0]).join(', ')})` : ''}\nseed ${seed}: replay with CONFORMANCE_SEED=${seed}`);
      });
    }
  });
}
