import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// `npm test` is the tool's own test suite: the reports of its conformance suites go to a fresh temporary directory,
// never over ./reports (a user's). Elsewhere (npx vitest run --project conformance) ./reports stays the default.
const ownTests = process.env.npm_lifecycle_event === 'test';
const reportDir = process.env.CONFORMANCE_REPORT_DIR || (ownTests ? mkdtempSync(join(tmpdir(), 'conformance-npm-test-')) : 'reports');
// The reporters (this process) and the suites (the workers, which inherit it) read it.
process.env.CONFORMANCE_REPORT_DIR = reportDir;

export default defineConfig({
  test: {
    // Most test files wait on servers and child processes rather than compute: three workers keep both cores busy
    // (about 4 minutes for the whole suite on 2 cores, against 8.5 with one worker per spare core).
    maxWorkers: 3,
    // Both report writers act only for runs that include the conformance suites.
    reporters: [
      'default',
      './reporters/conformance-reporter.ts',
      // allure-vitest, limited to the conformance project: one Allure result per operation.
      ['./reporters/allure-reporter.ts', { project: 'conformance', resultsDir: join(reportDir, 'allure-results') }],
    ],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['suites/**/*.test.ts'],
          // The Allure runtime for labels, steps and attachments (suites/allure.ts).
          setupFiles: ['allure-vitest/setup'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
