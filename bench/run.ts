/**
 * `npm run bench`: the suite's throughput against the raw ceiling of a reference server, request generation and
 * response validation rates, the full default run's wall time, and peak memory of a long run. Prints a table and
 * writes bench/results.json. Knobs (environment):
 *
 *   BENCH_DURATION=4            seconds per load measurement          BENCH_REPEATS=3         rounds of the read comparison
 *   BENCH_WARMUP=2              seconds of warm-up load               BENCH_CONCURRENCY=4     connections = --concurrency
 *   BENCH_SUITE_EXAMPLES=10000  --examples of the suite read runs     BENCH_REQUESTS=100000   requests of the memory run
 *   BENCH_CREATE_EXAMPLES=300   --examples of the suite create run    BENCH_SEED_CLUSTERS=10  clusters on the read server
 *   BENCH_MICRO_MS=1000         time per generation/validation rate   BENCH_LIST_ITEMS=1000   items of the validated pages
 *   BENCH_SEED=20261125         seed for everything                   BENCH_OUT=bench/results.json
 *   BENCH_SKIP=startup,generation,validation,read,memory,create,full  sections to leave out
 *   BENCH_CLI=bin/conformance.js  the command measured (another checkout's, for an A/B comparison)
 *
 * Load arrangement: every reference server runs in its own process (`conformance serve`); autocannon and the
 * HttpClient-only loop run in this process, the suite in a child `conformance run` process; so the load generator
 * never shares an event loop with the server. CPU time per request of both sides comes from /proc/PID/stat, GNU time
 * and process.cpuUsage, which the other load on the machine disturbs far less than the rates.
 */
import autocannon from 'autocannon';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from '../src/http/client.ts';
import { ionosPostgresql } from '../src/providers/ionos-postgresql.ts';
import { PROVIDERS } from '../src/providers/registry.ts';
import { loadSpec } from '../src/spec/load.ts';
import { CREDENTIALS, envNumber, machine, ownCpuMs, processCpuMs, round, ROOT, runConformance, spread, startServer, type ChildRun, type ServerChild, type Spread } from './lib.ts';
import { measureStartup, type StartupResult } from './startup.ts';
import { measureGeneration, measureValidation, type GenerationResult, type ValidationResult } from './micro.ts';
import { engineInputs, plainRequests, seedResources, type PlainRequest } from './requests.ts';

const config = {
  seed: envNumber('BENCH_SEED', 20261125),
  concurrency: envNumber('BENCH_CONCURRENCY', 4),
  durationS: envNumber('BENCH_DURATION', 4),
  warmupS: envNumber('BENCH_WARMUP', 2),
  repeats: Math.max(1, envNumber('BENCH_REPEATS', 3)),
  suiteExamples: envNumber('BENCH_SUITE_EXAMPLES', 10_000),
  createExamples: envNumber('BENCH_CREATE_EXAMPLES', 300),
  requests: envNumber('BENCH_REQUESTS', 100_000),
  seedClusters: envNumber('BENCH_SEED_CLUSTERS', 10),
  microMs: envNumber('BENCH_MICRO_MS', 1000),
  listItems: envNumber('BENCH_LIST_ITEMS', 1000),
  skip: (process.env.BENCH_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  out: process.env.BENCH_OUT ?? join(ROOT, 'bench', 'results.json'),
};
const skip = new Set(config.skip);

const TARGETS = { suiteShareOfCeiling: 0.5, fullRunSeconds: 20, peakRssMB: 300, helpMs: 500 };
const PROVIDER = ionosPostgresql;
const READ_OP = 'clustersGet';
const CREATE_OP = 'clustersPost';
const MIX_SIZE = 1000;

const log = (line: string) => process.stderr.write(`${line}\n`);
const benchStarted = performance.now();

/** One load measurement: rate, and CPU per request of the load generator and of the server. */
interface LoadResult {
  label: string;
  requests: number;
  ms: number;
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  /** CPU of the load generator (this process, or the suite's process with its startup) per request, in µs. */
  clientCpuUsPerRequest?: number;
  /** CPU of the reference server's process per request, in µs. */
  serverCpuUsPerRequest?: number;
  latencyP50Ms?: number;
  latencyP99Ms?: number;
}

const perRequest = (cpuMs: number | undefined, requests: number) => (cpuMs === undefined || requests === 0 ? undefined : round((cpuMs * 1000) / requests));

/** The raw ceiling: autocannon cycling through the given requests with `concurrency` connections. */
async function raw(label: string, server: ServerChild, requests: PlainRequest[], durationS: number): Promise<LoadResult> {
  const [ownBefore, serverBefore] = [ownCpuMs(), processCpuMs(server.pid)];
  const result = await autocannon({ url: server.url, connections: config.concurrency, pipelining: 1, duration: durationS, requests });
  const [ownAfter, serverAfter] = [ownCpuMs(), processCpuMs(server.pid)];
  const total = result['2xx'] + result.non2xx;
  return {
    label,
    requests: total,
    ms: Math.round(result.duration * 1000),
    requestsPerSecond: round(total / result.duration),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    clientCpuUsPerRequest: perRequest(ownAfter - ownBefore, total),
    serverCpuUsPerRequest: perRequest(serverBefore === undefined || serverAfter === undefined ? undefined : serverAfter - serverBefore, total),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
  };
}

/**
 * The suite's own HTTP client (src/http/client.ts) alone, `concurrency` loops sending the same requests and reading
 * (and JSON-parsing) the answers, with no generation or checks: how much of the gap is the client library.
 */
async function clientOnly(label: string, server: ServerChild, requests: PlainRequest[], durationS: number): Promise<LoadResult> {
  const client = new HttpClient({ timeoutMs: 30_000, connections: Math.max(4, config.concurrency) });
  const [ownBefore, serverBefore] = [ownCpuMs(), processCpuMs(server.pid)];
  const started = performance.now();
  const deadline = started + durationS * 1000;
  let sent = 0;
  let non2xx = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: config.concurrency }, async () => {
      while (performance.now() < deadline) {
        const r = requests[next++ % requests.length]!;
        const response = await client.send({ method: r.method, url: server.url + r.path, headers: r.headers, body: r.body });
        sent++;
        if (response.status >= 300) non2xx++;
      }
    }),
  );
  const ms = performance.now() - started;
  const [ownAfter, serverAfter] = [ownCpuMs(), processCpuMs(server.pid)];
  await client.close();
  return {
    label,
    requests: sent,
    ms: Math.round(ms),
    requestsPerSecond: round((sent * 1000) / ms),
    non2xx,
    errors: 0,
    clientCpuUsPerRequest: perRequest(ownAfter - ownBefore, sent),
    serverCpuUsPerRequest: perRequest(serverBefore === undefined || serverAfter === undefined ? undefined : serverAfter - serverBefore, sent),
  };
}

interface SuiteResult extends LoadResult {
  operation: string;
  examples: number;
  exitCode: number | null;
  /** run.durationMs of conformance.json: session start to finish (generation, requests, checks, probes, cleanup). */
  engineMs: number;
  wallMs: number;
  /** requests / wall time of the process (startup, spec loading and report writing included). */
  requestsPerSecondWall: number;
  peakRssMiB: number;
  /** CPU time of the suite's process, startup included. */
  cpuMs?: number;
  failedChecks: number;
}

/** `conformance run` as a child process against the server; requests from summary.requests, time from run.durationMs. */
async function suite(server: ServerChild, include: string, examples: number): Promise<SuiteResult & { run: ChildRun }> {
  const args = ['run', '--provider', PROVIDER.name, '--target', server.url, '--include', include, '--examples', String(examples), '--seed', String(config.seed), '--concurrency', String(config.concurrency)];
  const serverBefore = processCpuMs(server.pid);
  const run = await runConformance(args, { env: { CONFORMANCE_USERNAME: CREDENTIALS.username, CONFORMANCE_PASSWORD: CREDENTIALS.password } });
  const serverAfter = processCpuMs(server.pid);
  const report = run.report;
  if (!report) throw new Error(`conformance run wrote no report (exit ${run.exitCode}):\n${run.stderr || run.stdout}`);
  const requests = report.summary.requests;
  return {
    label: `suite ${include}`,
    operation: include,
    examples,
    exitCode: run.exitCode,
    requests,
    ms: report.run.durationMs,
    engineMs: report.run.durationMs,
    wallMs: Math.round(run.wallMs),
    requestsPerSecond: round((requests * 1000) / report.run.durationMs),
    requestsPerSecondWall: round((requests * 1000) / run.wallMs),
    non2xx: 0,
    errors: 0,
    clientCpuUsPerRequest: perRequest(run.cpuMs, requests),
    serverCpuUsPerRequest: perRequest(serverBefore === undefined || serverAfter === undefined ? undefined : serverAfter - serverBefore, requests),
    peakRssMiB: run.peakRssMiB,
    cpuMs: run.cpuMs,
    failedChecks: report.summary.failed,
    run,
  };
}

function withoutRun<T extends { run: ChildRun }>(result: T): Omit<T, 'run'> {
  const { run: _run, ...rest } = result;
  return rest;
}

// ---------------------------------------------------------------------------------------------------------------

const facts = machine();
log(`bench: ${facts.cpuModel}, ${facts.cores} cores, ${facts.memoryGiB} GiB, node ${facts.node}, load ${facts.loadAverageAtStart.join(' ')}`);
const spec = await loadSpec(PROVIDER.spec);
const readOp = spec.operations.find((o) => o.id === READ_OP)!;
const createOp = spec.operations.find((o) => o.id === CREATE_OP)!;

type Round = { rawPlain: LoadResult; rawMix: LoadResult; client: LoadResult; suite: Omit<SuiteResult, never> };
const results: {
  startup?: StartupResult;
  generation?: GenerationResult[];
  validation?: ValidationResult[];
  read?: {
    operation: string;
    seededClusters: number;
    rawPlain: Spread;
    rawMix: Spread;
    clientOnly: Spread;
    suite: Spread;
    /** Per round: suite rate / same-mix raw rate, in percent (the headline). */
    ratioToMix: Spread;
    ratioToPlain: number;
    cpuUsPerRequest: { rawClient?: number; rawServer?: number; clientOnlyClient?: number; clientOnlyServer?: number; suiteClient?: number; suiteServer?: number; suiteClientMarginal?: number };
    /** A run of the same operation with --examples 1: what a run costs before its requests (startup, spec, reports). */
    fixedCost: { requests: number; cpuMs?: number; wallMs: number };
    rounds: Round[];
  };
  create?: { operation: string; raw: LoadResult; suite: SuiteResult; ratio: number };
  memory?: SuiteResult & { peakRssMethod: string };
  full?: { wallMs: number; engineMsSum: number; requests: number; exitCode: number | null; peakRssMiB: number; cpuMs?: number; passed: number; failed: number };
} = {};

if (!skip.has('startup')) {
  log('startup: `conformance --help`, bundle and sources, 5 times each');
  results.startup = measureStartup(5);
}

if (!skip.has('generation')) {
  log('generation: the largest request body schema of each provider');
  results.generation = [];
  for (const profile of PROVIDERS) results.generation.push(await measureGeneration(profile, config.seed, config.microMs));
}

if (!skip.has('validation')) {
  log(`validation: a ${config.listItems}-item page of each provider's largest list response`);
  results.validation = [];
  for (const profile of PROVIDERS) {
    const r = await measureValidation(profile, config.seed, config.listItems, config.microMs);
    if (r) results.validation.push(r);
  }
}

if (!skip.has('read') || !skip.has('memory')) {
  const server = await startServer(PROVIDER.name, 0);
  try {
    // A few clusters, so that list pages carry items for the checks to validate.
    await seedResources(server.url, PROVIDER, createOp, config.seed + 1, config.seedClusters);
    const plain = plainRequests(readOp, [{ path: {}, query: {}, headers: {} }]);
    const mix = plainRequests(readOp, engineInputs(PROVIDER, readOp, config.seed, MIX_SIZE));
    if (!skip.has('read')) {
      log(`read: raw ceiling vs suite on GET ${readOp.path} (${config.concurrency} connections, ${config.repeats} rounds)`);
      await raw('warm-up', server, plain, config.warmupS);
      await clientOnly('warm-up', server, mix, Math.min(1, config.warmupS));
      // The fixed cost of a run (process startup, tsx, spec loading, report writing), to take out of the CPU per request.
      const fixed = await suite(server, READ_OP, 1);
      const rounds: Round[] = [];
      for (let i = 0; i < config.repeats; i++) {
        const rawPlain = await raw(`GET ${readOp.path}`, server, plain, config.durationS);
        const rawMix = await raw(`GET ${readOp.path} (suite's request mix)`, server, mix, config.durationS);
        const client = await clientOnly(`HttpClient only (suite's request mix)`, server, mix, config.durationS);
        const s = withoutRun(await suite(server, READ_OP, config.suiteExamples));
        log(`  round ${i + 1}: raw ${rawPlain.requestsPerSecond}/s, raw (mix) ${rawMix.requestsPerSecond}/s, HttpClient ${client.requestsPerSecond}/s, suite ${s.requestsPerSecond}/s`);
        rounds.push({ rawPlain, rawMix, client, suite: s });
      }
      const median = (pick: (r: Round) => number | undefined) => {
        const values = rounds.map(pick).filter((v): v is number => v !== undefined);
        return values.length ? spread(values).median : undefined;
      };
      results.read = {
        operation: READ_OP,
        seededClusters: config.seedClusters,
        rawPlain: spread(rounds.map((r) => r.rawPlain.requestsPerSecond)),
        rawMix: spread(rounds.map((r) => r.rawMix.requestsPerSecond)),
        clientOnly: spread(rounds.map((r) => r.client.requestsPerSecond)),
        suite: spread(rounds.map((r) => r.suite.requestsPerSecond)),
        // Each round's suite rate against the same round's ceiling, so that drift of the machine's load cancels out.
        ratioToMix: spread(rounds.map((r) => (100 * r.suite.requestsPerSecond) / r.rawMix.requestsPerSecond)),
        ratioToPlain: 0,
        cpuUsPerRequest: {
          rawClient: median((r) => r.rawMix.clientCpuUsPerRequest),
          rawServer: median((r) => r.rawMix.serverCpuUsPerRequest),
          clientOnlyClient: median((r) => r.client.clientCpuUsPerRequest),
          clientOnlyServer: median((r) => r.client.serverCpuUsPerRequest),
          suiteClient: median((r) => r.suite.clientCpuUsPerRequest),
          suiteServer: median((r) => r.suite.serverCpuUsPerRequest),
          // Marginal CPU of one more request: (CPU of the run - CPU of the 1-example run) / (requests - its requests).
          suiteClientMarginal: median((r) => (r.suite.cpuMs === undefined || fixed.run.cpuMs === undefined ? undefined : round(((r.suite.cpuMs - fixed.run.cpuMs) * 1000) / (r.suite.requests - fixed.requests)))),
        },
        fixedCost: { requests: fixed.requests, cpuMs: fixed.run.cpuMs, wallMs: fixed.wallMs },
        rounds,
      };
      results.read.ratioToPlain = round((100 * results.read.suite.median) / results.read.rawPlain.median);
    }
    if (!skip.has('memory')) {
      log(`memory: peak RSS of a ${config.requests}-request run (${READ_OP})`);
      const s = await suite(server, READ_OP, config.requests);
      results.memory = { ...withoutRun(s), peakRssMethod: s.run.peakRssMethod };
    }
  } finally {
    await server.stop();
  }
}

if (!skip.has('create')) {
  log(`create: raw ceiling vs suite on POST ${createOp.path}`);
  const bodies = plainRequests(createOp, engineInputs(PROVIDER, createOp, config.seed, 200, 'bench'));
  let rawCreate: LoadResult;
  const server = await startServer(PROVIDER.name, 0);
  try {
    await raw('warm-up', server, bodies, Math.min(1, config.warmupS));
    rawCreate = await raw(`POST ${createOp.path}`, server, bodies, config.durationS);
  } finally {
    await server.stop();
  }
  // A fresh server for the suite, so that its lists do not hold the tens of thousands of clusters autocannon created.
  const suiteServer = await startServer(PROVIDER.name, 0);
  try {
    const s = withoutRun(await suite(suiteServer, CREATE_OP, config.createExamples));
    results.create = { operation: CREATE_OP, raw: rawCreate, suite: s, ratio: round((100 * s.requestsPerSecond) / rawCreate.requestsPerSecond) };
  } finally {
    await suiteServer.stop();
  }
}

if (!skip.has('full')) {
  log('full: `conformance run` with defaults (every provider, built-in servers)');
  const run = await runConformance(['run', '--seed', String(config.seed)]);
  if (!run.report) throw new Error(`the full run wrote no report (exit ${run.exitCode}):\n${run.stderr || run.stdout}`);
  results.full = {
    wallMs: Math.round(run.wallMs),
    engineMsSum: run.report.run.durationMs,
    requests: run.report.summary.requests,
    exitCode: run.exitCode,
    peakRssMiB: run.peakRssMiB,
    cpuMs: run.cpuMs,
    passed: run.report.summary.passed,
    failed: run.report.summary.failed,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Targets, table, results.json

const n = (x: number | undefined) => (x === undefined ? '?' : Math.round(x).toLocaleString('en-US'));
const targets = [
  results.read && {
    target: `suite throughput >= ${TARGETS.suiteShareOfCeiling * 100}% of the raw ceiling (GET ${readOp.path})`,
    measured: `${results.read.ratioToMix.median}% (median of ${config.repeats} runs of --examples ${config.suiteExamples})${results.memory ? `; ${round((100 * results.memory.requestsPerSecond) / results.read.rawMix.median)}% over the ${config.requests}-request run` : ''}`,
    pass: results.read.ratioToMix.median >= TARGETS.suiteShareOfCeiling * 100,
  },
  results.startup && { target: `conformance --help < ${TARGETS.helpMs} ms`, measured: `${n(results.startup.help.median)} ms (median of ${results.startup.help.samples.length}; bare node ${n(results.startup.node.median)} ms)`, pass: results.startup.help.median < TARGETS.helpMs },
  results.full && { target: `full default run < ${TARGETS.fullRunSeconds} s`, measured: `${round(results.full.wallMs / 1000)} s`, pass: results.full.wallMs < TARGETS.fullRunSeconds * 1000 },
  results.memory && {
    // The target is in MB (10^6 bytes); ru_maxrss is in KiB.
    target: `peak RSS < ${TARGETS.peakRssMB} MB for ${config.requests} requests`,
    measured: `${round(results.memory.peakRssMiB * 1.048576)} MB (${results.memory.peakRssMiB} MiB)`,
    pass: results.memory.peakRssMiB * 1.048576 < TARGETS.peakRssMB,
  },
].filter((t): t is { target: string; measured: string; pass: boolean } => Boolean(t));

facts.loadAverageAtEnd = loadavg().map((x) => round(x, 2));
const output = { machine: facts, config, results, targets, benchSeconds: round((performance.now() - benchStarted) / 1000) };
writeFileSync(config.out, `${JSON.stringify(output, null, 2)}\n`);

const cpu = (r: { clientCpuUsPerRequest?: number; serverCpuUsPerRequest?: number }) => `CPU/request: client ${n(r.clientCpuUsPerRequest)} µs, server ${n(r.serverCpuUsPerRequest)} µs`;
const range = (s: Spread, unit = '') => (s.samples.length > 1 ? `${n(s.min)}${unit}–${n(s.max)}${unit} over ${s.samples.length} rounds` : '1 round');
const rows: [string, string, string][] = [];
if (results.startup) {
  const st = results.startup;
  rows.push(['cli startup: conformance --help', `${n(st.help.median)} ms`, `${st.bundle ? 'dist/ bundle' : 'dist/ missing or older than the sources (npm run build): tsx'}; ${range(st.help, ' ms')}; bare node ${n(st.node.median)} ms; from the sources through tsx ${n(st.helpFromSources.median)} ms`]);
}
if (results.read) {
  const r = results.read;
  const c = r.cpuUsPerRequest;
  rows.push([`raw ceiling: GET ${readOp.path}`, `${n(r.rawPlain.median)} req/s`, `autocannon, ${config.concurrency} connections, ${r.seededClusters} clusters listed; ${range(r.rawPlain)}`]);
  rows.push([`raw ceiling: GET ${readOp.path}, suite's queries`, `${n(r.rawMix.median)} req/s`, `the suite's first ${MIX_SIZE} generated requests in turn; ${range(r.rawMix)}; ${cpu({ clientCpuUsPerRequest: c.rawClient, serverCpuUsPerRequest: c.rawServer })}`]);
  rows.push([`HttpClient alone, suite's queries`, `${n(r.clientOnly.median)} req/s`, `src/http/client.ts, ${config.concurrency} loops, no generation or checks; ${range(r.clientOnly)}; ${cpu({ clientCpuUsPerRequest: c.clientOnlyClient, serverCpuUsPerRequest: c.clientOnlyServer })}`]);
  const last = r.rounds.at(-1)!.suite;
  rows.push([
    `suite: ${READ_OP}, --examples ${n(config.suiteExamples)}`,
    `${n(r.suite.median)} checked req/s`,
    `summary.requests / run.durationMs (${n(last.requests)} requests; ${n(last.requestsPerSecondWall)}/s by wall time); ${range(r.suite)}; ${cpu({ clientCpuUsPerRequest: c.suiteClientMarginal, serverCpuUsPerRequest: c.suiteServer })} (client: marginal, without the ${n(r.fixedCost.cpuMs)} ms CPU of a 1-example run)`,
  ]);
  rows.push(['suite / raw ceiling (read)', `${r.ratioToMix.median}%`, `per-round ratio to the same-queries ceiling, ${range(r.ratioToMix, '%')}; ${r.ratioToPlain}% of the plain GET ceiling`]);
}
if (results.create) {
  const c = results.create;
  rows.push([`raw ceiling: POST ${createOp.path}`, `${n(c.raw.requestsPerSecond)} req/s`, `200 generated bodies in turn, ${n(c.raw.requests)} creates, ${c.raw.non2xx} non-2xx; ${cpu(c.raw)}`]);
  rows.push([`suite: ${CREATE_OP}, --examples ${c.suite.examples}`, `${n(c.suite.requestsPerSecond)} checked req/s`, `${c.ratio}% of the raw ceiling; ${c.suite.requests} requests in ${n(c.suite.engineMs)} ms; ${cpu(c.suite)}`]);
}
for (const g of results.generation ?? []) {
  rows.push([`generation: ${g.provider} ${g.operationId}`, `${n(g.payloadsPerSecond)} payloads/s`, `largest request body (schema size ${g.schemaSize}), ~${g.meanBodyBytes} B each, ${g.valid}/${g.validChecked} schema-valid; arbitrary built in ${g.arbitraryBuildMs} ms`]);
}
for (const v of results.validation ?? []) {
  rows.push([
    `validation: ${v.provider} ${v.operationId} ${v.status}`,
    `${n(v.responsesPerSecond)} responses/s`,
    `${n(v.items)}-item page, ${n(v.bodyBytes / 1024)} KiB: ${n(v.itemsPerSecond)} items/s; with JSON.parse ${n(v.parsedAndValidatedPerSecond)}/s${v.failures.length ? `; FAILS: ${v.failures[0]}` : ''}`,
  ]);
}
if (results.full) {
  const f = results.full;
  rows.push(['full default run (4 providers)', `${round(f.wallMs / 1000)} s wall`, `${n(f.requests)} requests, engine ${round(f.engineMsSum / 1000)} s, CPU ${round((f.cpuMs ?? 0) / 1000)} s, peak RSS ${f.peakRssMiB} MiB, exit ${f.exitCode}`]);
}
if (results.memory) {
  const m = results.memory;
  if (results.read) {
    rows.push([`suite / raw ceiling, ${n(m.requests)}-request run`, `${round((100 * m.requestsPerSecond) / results.read.rawMix.median)}%`, `${n(m.requestsPerSecond)} checked req/s over ${round(m.engineMs / 1000)} s against the median same-queries ceiling: warm-up and per-operation fixed costs amortized; CPU/request: client ${n(m.clientCpuUsPerRequest)} µs with startup, server ${n(m.serverCpuUsPerRequest)} µs`]);
  }
  rows.push([`peak RSS: ${n(m.requests)}-request run`, `${m.peakRssMiB} MiB`, `${READ_OP}, ${n(m.requestsPerSecond)} checked req/s over ${round(m.engineMs / 1000)} s; ${m.peakRssMethod}`]);
}

const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['measurement', 'result', 'detail'][i]!.length));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(`\n${facts.cpuModel}, ${facts.cores} cores, ${facts.memoryGiB} GiB, node ${facts.node}, ${facts.os}, ${facts.date}, commit ${facts.gitCommit}${facts.gitChangedFiles > 0 ? ` + ${facts.gitChangedFiles} changed files` : ''}`);
console.log(`load average ${facts.loadAverageAtStart.join('/')} at start, ${facts.loadAverageAtEnd.join('/')} at end\n`);
console.log(line(['measurement', 'result', 'detail']));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));
console.log('\ntargets:');
for (const t of targets) console.log(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.target}: ${t.measured}`);
console.log(`\n${config.out} written (bench took ${output.benchSeconds} s)`);
