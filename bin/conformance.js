#!/usr/bin/env node
// Entry point for `npx conformance`. Runs the bundle in dist/ (built by `npm run build` at install and publish time)
// when it is newer than every source; otherwise loads the TypeScript sources through tsx, so that a checkout being
// edited never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bundle = join(root, 'dist', 'cli.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  if (!existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  return ['src', 'fixtures'].every((dir) => !existsSync(join(root, dir)) || newestSource(join(root, dir)) <= built);
}

let main;
if (process.env.CONFORMANCE_FROM_SOURCE !== '1' && bundleIsFresh()) ({ main } = await import('../dist/cli.js'));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
