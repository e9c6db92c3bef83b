import { readFileSync } from 'node:fs';
import AllureVitestReporter from 'allure-vitest/reporter';
import type { TestResult } from 'allure-js-commons';
import type { Reporter, TestModule, Vitest } from 'vitest/node';

export interface ConformanceAllureOptions {
  /** The vitest project whose tests become Allure results (the conformance suites, not the tool's own tests). */
  project: string;
  resultsDir: string;
}

/** Labels a test may carry once; the suites set them, replacing those allure-vitest derives from describe(). */
const SINGLE_LABELS = new Set(['parentSuite', 'suite', 'subSuite']);

/**
 * allure-vitest's reporter, limited to one vitest project: reporters apply to every project, and the unit
 * tests are not conformance results. It registers allure-vitest's setup file and runner for that project only,
 * and writes Allure results for its tests into `resultsDir` (without a step per expect(): the suites' steps are the checks).
 * It stays idle when the project is not part of the run.
 */
export default class ConformanceAllureReporter implements Reporter {
  private readonly allure: AllureVitestReporter;
  private active = false;

  constructor(private readonly options: ConformanceAllureOptions) {
    this.allure = new AllureVitestReporter({ resultsDir: options.resultsDir, reportMatchers: false, environmentInfo: suiteEnvironment(process.env), listeners: [{ beforeTestResultWrite: keepLastSuiteLabels }] });
  }

  onInit(vitest: Vitest): void {
    const projects = vitest.projects.filter((p) => p.name === this.options.project);
    if (projects.length === 0) return;
    this.active = true;
    this.allure.onInit(new Proxy(vitest, { get: (target, key) => (key === 'projects' ? projects : Reflect.get(target, key)) }));
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (this.active) this.allure.onTestRunEnd(testModules.filter((m) => m.project.name === this.options.project));
  }
}

/** Of each suite label, keeps the last one: what the test set rather than what its describe() implied. */
export function keepLastSuiteLabels(result: Pick<TestResult, 'labels'>): void {
  const last = new Map<string, number>();
  result.labels.forEach((label, i) => {
    if (SINGLE_LABELS.has(label.name)) last.set(label.name, i);
  });
  result.labels = result.labels.filter((label, i) => !SINGLE_LABELS.has(label.name) || last.get(label.name) === i);
}

/** The Environment panel of the suites' results: what the suites read from the environment, and the tool's version. */
export function suiteEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return {
    target: env.CONFORMANCE_TARGET || 'built-in reference servers',
    provider: 'one suite per provider (each test\'s suite label)',
    seed: env.CONFORMANCE_SEED || 'random per suite (in each test\'s description)',
    examples: env.CONFORMANCE_EXAMPLES || '25',
    'dbaas-conformance': version,
  };
}
