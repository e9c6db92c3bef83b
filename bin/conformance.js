#!/usr/bin/env node
// Entry point for `npx conformance`. Runs the bundle in dist/ (built by `npm run build` at install and publish time)
// when it is newer than every source; otherwise loads the TypeScript sources through tsx, so that a checkout being
// edited never runs stale code. CONFORMANCE_FROM_SOURCE=1 forces the sources.
import { bundleIsFresh } from './bundle.js';

let main;
if (process.env.CONFORMANCE_FROM_SOURCE !== '1' && bundleIsFresh()) ({ main } = await import('../dist/cli.js'));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
