/**
 * CPU profiles of the suite: `node --cpu-prof bin/conformance.js run` on one read operation against a reference
 * server in its own process, and the full default run; prints the top self-time functions of each (main thread).
 *
 *   node --import tsx bench/profile.ts   (BENCH_PROFILE_EXAMPLES=5000, BENCH_PROF_DIR=/tmp/prof, BENCH_SEED, BENCH_PROFILE_SKIP_FULL=1)
 *
 * Each profile directory also holds tsx's module-loader worker thread; the main thread is the profile with the
 * most non-idle time. Summaries go to BENCH_PROF_DIR/summary.json.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ionosPostgresql } from '../src/providers/ionos-postgresql.ts';
import { loadSpec } from '../src/spec/load.ts';
import { formatSummary, summarizeProfile, type ProfileSummary } from './cpuprofile.ts';
import { CREDENTIALS, envNumber, runConformance, startServer } from './lib.ts';
import { seedResources } from './requests.ts';

const seed = envNumber('BENCH_SEED', 20261125);
const examples = envNumber('BENCH_PROFILE_EXAMPLES', 5000);
const top = envNumber('BENCH_PROFILE_TOP', 15);
const dir = process.env.BENCH_PROF_DIR ?? '/tmp/prof';
const READ_OP = 'clustersGet';

function mainThread(profileDir: string): ProfileSummary {
  const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  const summaries = files.map((f) => summarizeProfile(join(profileDir, f), top));
  return summaries.sort((a, b) => b.totalMs - b.idleMs - (a.totalMs - a.idleMs))[0]!;
}

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const out: Record<string, { command: string; wallMs: number; requests?: number; engineMs?: number; summary: ProfileSummary }> = {};

const server = await startServer(ionosPostgresql.name, 0);
try {
  const spec = await loadSpec(ionosPostgresql.spec);
  await seedResources(server.url, ionosPostgresql, spec.operations.find((o) => o.id === 'clustersPost')!, seed + 1, envNumber('BENCH_SEED_CLUSTERS', 10));
  const args = ['run', '--provider', ionosPostgresql.name, '--target', server.url, '--include', READ_OP, '--examples', String(examples), '--seed', String(seed)];
  const run = await runConformance(args, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'read')}`], env: { CONFORMANCE_USERNAME: CREDENTIALS.username, CONFORMANCE_PASSWORD: CREDENTIALS.password } });
  out.read = { command: `node --cpu-prof bin/conformance.js ${args.join(' ').replace(server.url, '<server>')}`, wallMs: Math.round(run.wallMs), requests: run.report?.summary.requests, engineMs: run.report?.run.durationMs, summary: mainThread(join(dir, 'read')) };
} finally {
  await server.stop();
}

if (process.env.BENCH_PROFILE_SKIP_FULL !== '1') {
  const fullArgs = ['run', '--seed', String(seed)];
  const full = await runConformance(fullArgs, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'full')}`] });
  out.full = { command: `node --cpu-prof bin/conformance.js ${fullArgs.join(' ')}`, wallMs: Math.round(full.wallMs), requests: full.report?.summary.requests, engineMs: full.report?.run.durationMs, summary: mainThread(join(dir, 'full')) };
}

for (const [name, p] of Object.entries(out)) {
  console.log(`== ${name}: ${p.command}\n   wall ${p.wallMs} ms, ${p.requests} requests, engine ${p.engineMs} ms\n`);
  console.log(`${formatSummary(p.summary)}\n`);
}
writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(`${join(dir, 'summary.json')} written`);
