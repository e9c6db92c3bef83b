import { spawnSync } from 'node:child_process';
// @ts-expect-error: plain JavaScript without declarations
import { bundleIsFresh } from '../bin/bundle.js';
import { CLI, spread, type Spread } from './lib.ts';

/** Wall time of `conformance --help` (what a user waits for before the first line), against bare node. */
export interface StartupResult {
  /** `node -e 0`: the floor every command pays. */
  node: Spread;
  /** `conformance --help` as installed (the dist/ bundle when it is fresh). */
  help: Spread;
  /** `conformance --help` from the TypeScript sources through tsx (CONFORMANCE_FROM_SOURCE=1). */
  helpFromSources: Spread;
  /** Whether the measured --help ran the bundle (dist/ built and newer than the sources). */
  bundle: boolean;
}

function wallMs(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (child.status !== 0) throw new Error(`${args.join(' ')} exited ${child.status}: ${child.stderr.toString()}`);
  return performance.now() - started;
}

export function measureStartup(rounds: number): StartupResult {
  const times = (args: string[], env?: NodeJS.ProcessEnv) => spread(Array.from({ length: rounds }, () => wallMs(args, env)));
  return {
    node: times(['-e', '0']),
    help: times([CLI, '--help']),
    helpFromSources: times([CLI, '--help'], { ...process.env, CONFORMANCE_FROM_SOURCE: '1' }),
    bundle: (bundleIsFresh as () => boolean)(),
  };
}
