/** Helpers for the benchmark: child processes (reference server, conformance runs), peak memory, machine facts, statistics. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConformanceReport } from '../src/report/model.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The `conformance` command measured; BENCH_CLI points at another checkout's bin/conformance.js for A/B comparisons. */
export const CLI = process.env.BENCH_CLI ?? join(ROOT, 'bin', 'conformance.js');

/** Credentials the bench's reference servers accept (they are local and short-lived). */
export const CREDENTIALS = { username: 'bench', password: 'bench-password-0001' };
export const BASIC_AUTH = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`;

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, not '${raw}'`);
  return n;
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  date: string;
  gitCommit: string;
  /** Tracked files with uncommitted changes when the bench ran (the measured tree is the working tree). */
  gitChangedFiles: number;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export function machine(): Machine {
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' });
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()}`,
    date: new Date().toISOString(),
    gitCommit: git.status === 0 ? git.stdout.trim() : 'unknown',
    gitChangedFiles: status.status === 0 ? status.stdout.split('\n').filter(Boolean).length : -1,
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** A reference server in its own process, so that it does not share an event loop with the load generator. */
export interface ServerChild {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startServer(provider: string, readyDelayMs = 0): Promise<ServerChild> {
  const child = spawn(process.execPath, [CLI, 'serve', '--provider', provider, '--port', '0', '--ready-delay', String(readyDelayMs)], {
    cwd: ROOT,
    env: { ...process.env, CONFORMANCE_USERNAME: CREDENTIALS.username, CONFORMANCE_PASSWORD: CREDENTIALS.password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reference server did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`reference server exited with ${code}:\n${output}`));
    });
  });
  // Keep draining its output so that it never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  return { url, pid: child.pid!, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** CPU time (user + system) a running process has used so far, in ms, from /proc/PID/stat; undefined when unreadable. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** CPU time of this process (user + system), in ms. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** /usr/bin/time (GNU time) measures a child's peak RSS from the kernel's accounting, with no sampling gap. */
const GNU_TIME = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p) && spawnSync(p, ['-f', '%M %U %S', 'true'], { encoding: 'utf8' }).status === 0);

export interface ChildRun {
  exitCode: number | null;
  wallMs: number;
  /** Peak resident set size of the process, in MiB. */
  peakRssMiB: number;
  /** How the peak was measured. */
  peakRssMethod: string;
  /** CPU time (user + system) of the process, startup included, in ms. */
  cpuMs?: number;
  stdout: string;
  stderr: string;
  report?: ConformanceReport;
}

/**
 * Runs `conformance` with these arguments in a child process, with its own report directory, and reads the
 * conformance.json it wrote. Peak RSS comes from GNU time's %M (getrusage ru_maxrss of the child) when
 * /usr/bin/time exists, else from sampling VmHWM ("high water mark", the kernel's peak RSS) in /proc/PID/status
 * every 20 ms; VmHWM only grows, so the last sample misses at most the last 20 ms. CPU time likewise comes from
 * GNU time's %U + %S, else from the last sample of /proc/PID/stat.
 */
export async function runConformance(args: string[], options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): Promise<ChildRun> {
  const reportDir = mkdtempSync(join(tmpdir(), 'conformance-bench-'));
  const timeFile = join(reportDir, 'time.txt');
  const nodeCommand = [process.execPath, ...(options.nodeArgs ?? []), CLI, ...args, '--report-dir', reportDir];
  const command = GNU_TIME ? [GNU_TIME, '-f', '%M %U %S', '-o', timeFile, ...nodeCommand] : nodeCommand;
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  let sampledKiB = 0;
  let sampledCpuMs: number | undefined;
  const sampler = GNU_TIME
    ? undefined
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) sampledKiB = Math.max(sampledKiB, Number(m[1]));
          sampledCpuMs = processCpuMs(child.pid!) ?? sampledCpuMs;
        } catch {
          // The process has exited.
        }
      }, 20);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const wallMs = performance.now() - started;
  if (sampler) clearInterval(sampler);
  let peakKiB = sampledKiB;
  let cpuMs = sampledCpuMs;
  if (GNU_TIME) {
    // The last line is the format's; a line before it may say that the command exited non-zero.
    const lines = existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim().split('\n') : [];
    const [kib, user, system] = (lines.at(-1) ?? '').split(' ').map(Number);
    peakKiB = kib || 0;
    cpuMs = user !== undefined && system !== undefined ? (user + system) * 1000 : undefined;
  }
  const reportFile = join(reportDir, 'conformance.json');
  const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as ConformanceReport) : undefined;
  rmSync(reportDir, { recursive: true, force: true });
  return {
    exitCode,
    wallMs,
    peakRssMiB: Math.round((peakKiB / 1024) * 10) / 10,
    peakRssMethod: GNU_TIME ? `${GNU_TIME} -f %M (ru_maxrss of the node process)` : 'VmHWM from /proc/PID/status, sampled every 20 ms',
    cpuMs: cpuMs === undefined ? undefined : Math.round(cpuMs),
    stdout,
    stderr,
    report,
  };
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Relative spread, (max - min) / median, in percent. */
  spreadPercent: number;
  samples: number[];
}

export function spread(samples: number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const min = sorted[0]!;
  const max = sorted.at(-1)!;
  return { median: round(median), min: round(min), max: round(max), spreadPercent: median > 0 ? round((100 * (max - min)) / median) : 0, samples: samples.map(round) };
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Calls `fn` in batches until `minMs` have passed; returns calls per second. */
export function throughput(fn: () => void, minMs: number, batch = 1): { perSecond: number; iterations: number; ms: number } {
  let iterations = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < batch; i++) fn();
    iterations += batch;
    elapsed = performance.now() - started;
  } while (elapsed < minMs);
  return { perSecond: (iterations * 1000) / elapsed, iterations, ms: elapsed };
}
