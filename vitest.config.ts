import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The conformance reporter writes reports only for runs that include the conformance suites.
    reporters: ['default', './reporters/conformance-reporter.ts'],
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
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
