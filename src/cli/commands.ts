/**
 * The commands and their flags, declared once: the parser (node:util parseArgs) reads each command's `flags`
 * as its options, and `--help` prints them from the same table, so the help cannot drift from what is parsed.
 * This module is loaded on every start: it imports nothing heavy.
 */

export interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** The value's placeholder in the help, e.g. NAME. */
  value?: string;
  description: string;
  /** Parsed but not listed (test-only knobs). */
  hidden?: boolean;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** Positional arguments, e.g. `OLD NEW`. */
  args?: string;
  flags: Record<string, FlagSpec>;
  /** Lines after the flags. */
  notes?: string[];
}

/** The built-in providers (a unit test keeps this equal to the registry, which is too heavy to load for --help). */
export const PROVIDER_NAMES = ['ionos-postgresql', 'ionos-inmemorydb', 'redis-enterprise', 'clickhouse-cloud'] as const;

const HELP = { type: 'boolean', short: 'h', description: 'show this help' } as const;

const CONFIG = { type: 'string', value: 'FILE', description: 'read options from FILE (default: conformance.config.json or .yaml in the current directory, if any); flags override it' } as const;

const RUN = {
  name: 'run',
  summary: 'run the conformance checks (against the built-in reference servers unless --target is given)',
  flags: {
    provider: { type: 'string', value: 'NAME', description: `${PROVIDER_NAMES.join(', ')} (default: all)` },
    target: { type: 'string', value: 'URL', description: "the API's server root; credentials from CONFORMANCE_TOKEN or CONFORMANCE_USERNAME/CONFORMANCE_PASSWORD" },
    spec: { type: 'string', value: 'FILE', description: 'an OpenAPI document to use instead of the bundled one' },
    examples: { type: 'string', value: 'N', description: 'property-based examples per operation (default 25)' },
    seed: { type: 'string', value: 'N', description: 'seed for reproducible data (default: CONFORMANCE_SEED, else random, printed)' },
    var: { type: 'string', multiple: true, value: 'NAME=VALUE', description: 'value for a path parameter such as organizationId (repeatable)' },
    header: { type: 'string', short: 'H', multiple: true, value: "'NAME: VALUE'", description: 'an extra request header (repeatable); credential-like values are redacted in reports' },
    'report-dir': { type: 'string', value: 'DIR', description: 'where reports go (default ./reports)' },
    report: { type: 'string', multiple: true, value: 'FORMAT', description: 'an extra report (repeatable): har, every exchange as exchanges.har (HAR 1.2, secrets redacted, the first 5000)' },
    allure: { type: 'string', value: 'DIR', description: 'also write Allure 2 results into DIR: a test per operation, a step per check, environment target, provider, seed, version' },
    json: { type: 'boolean', description: 'NDJSON events on stdout (run-start, operation-end, warning, transient, run-end, summary); progress goes to stderr' },
    timeout: { type: 'string', value: 'MS', description: 'per-request timeout (default 30000)' },
    concurrency: { type: 'string', value: 'N', description: 'requests in flight per operation (default 4)' },
    'rate-limit': { type: 'string', value: 'RATE', description: 'at most RATE requests per second over the whole run: 10, 10/s or 600/min (default: unbounded)' },
    'max-duration': { type: 'string', value: 'D', description: 'stop sending D after sending starts (90s, 15m, 1h; a bare number is seconds), clean up, report what finished, exit 1' },
    'ready-timeout': { type: 'string', value: 'MS', description: 'how long a resource may take to become ready or gone (default 30000 on loopback, 30 min otherwise)' },
    mode: { type: 'string', value: 'MODE', description: 'read-only (only GET and HEAD; the default for targets not on this machine) or full' },
    'allow-writes': { type: 'boolean', description: 'confirms --mode full against a target that is not on this machine' },
    'dry-plan': { type: 'boolean', description: 'print the plan (operations, resources to create, requests) and stop' },
    list: { type: 'boolean', description: 'print every planned operation with its checks, and stop (sends nothing, needs no credentials)' },
    baseline: { type: 'string', value: 'FILE', description: 'compare with an earlier conformance.json: each failure is new, still failing, or fixed' },
    'fail-on': { type: 'string', value: 'any|new', description: 'with --baseline, "new" fails the run only on new failures (default any)' },
    include: { type: 'string', multiple: true, value: 'SEL', description: 'only operations that match (repeatable): an operationId or glob, tag:NAME, GET, or a path glob like /clusters/**' },
    exclude: { type: 'string', multiple: true, value: 'SEL', description: 'leave out operations that match (repeatable), in the same forms' },
    'max-resources': { type: 'string', value: 'N', description: 'how many resources the run may hold at once (default 3, unlimited on loopback)' },
    'poll-interval': { type: 'string', value: 'MS', description: 'how often its state is read meanwhile (default 50 on loopback, 5000 otherwise)' },
    config: CONFIG,
    fault: { type: 'string', multiple: true, value: 'FAULT', description: 'a fault of the reference server (tests)', hidden: true },
    help: HELP,
  },
  notes: ['Exit codes: 0 passed, 1 conformance failures (or --max-duration reached), 2 bad input, 130/143 interrupted.'],
} as const satisfies CommandSpec;

/** serve's parser and its longer help live in src/cli/serve.ts; a unit test keeps its flags equal to these. */
const SERVE = {
  name: 'serve',
  summary: "start a provider's reference server",
  flags: {
    provider: { type: 'string', value: 'NAME', description: `which server (required): ${PROVIDER_NAMES.join(', ')}` },
    port: { type: 'string', value: 'N', description: 'port (default 8080)' },
    host: { type: 'string', value: 'HOST', description: 'interface (default 127.0.0.1)' },
    'ready-delay': { type: 'string', value: 'MS', description: 'how long resources stay in their transitional state (default 2000)' },
    org: { type: 'string', value: 'UUID', description: 'clickhouse-cloud: a fixed organization id (default: CONFORMANCE_VAR_organizationId, else a new one)' },
    'seed-data': { type: 'string', value: 'FILE', description: "start with your own fixtures: a JSON file in the provider's seed format" },
    fault: { type: 'string', multiple: true, value: 'FAULT', description: 'a fault to inject (tests)', hidden: true },
    help: HELP,
  },
} as const satisfies CommandSpec;

const CLEANUP = {
  name: 'cleanup',
  summary: 'delete what an interrupted run left behind',
  flags: {
    ledger: { type: 'string', value: 'FILE', description: 'the ledger.json in the report directory of the interrupted run (required)' },
    help: HELP,
  },
} as const satisfies CommandSpec;

const DIFF = {
  name: 'diff',
  summary: 'compare two conformance.json files: new, still failing, fixed',
  args: 'OLD.json NEW.json',
  flags: { help: HELP },
  notes: ['Exit 1 when NEW has failures OLD did not have.'],
} as const satisfies CommandSpec;

const MERGE = {
  name: 'merge',
  summary: 'combine shard reports into one',
  args: 'A.json B.json ...',
  flags: {
    'report-dir': { type: 'string', value: 'DIR', description: 'where the merged reports go (default ./reports)' },
    help: HELP,
  },
} as const satisfies CommandSpec;

const REPLAY = {
  name: 'replay',
  summary: 're-send one failure of a report and re-run its check',
  args: 'REPORT FAILURE-ID',
  flags: {
    target: { type: 'string', value: 'URL', description: "where to send it (default: the report's target, or a fresh reference server)" },
    timeout: { type: 'string', value: 'MS', description: 'per-request timeout (default 30000)' },
    'ready-timeout': { type: 'string', value: 'MS', description: 'how long a resource may take to become ready or gone' },
    examples: { type: 'string', value: 'N', description: "examples per operation for sequence checks (default: the report's)" },
    spec: { type: 'string', value: 'FILE', description: 'the OpenAPI document the run used (generic runs)' },
    var: { type: 'string', multiple: true, value: 'NAME=VALUE', description: 'value for a path parameter (repeatable)' },
    'allow-writes': { type: 'boolean', description: 'allows writes against a target that is not on this machine' },
    help: HELP,
  },
  notes: ['Failure ids are results[].failures[].id in conformance.json. Exit 0 when it no longer fails, 1 when it still fails.'],
} as const satisfies CommandSpec;

const COMPARE = {
  name: 'compare',
  summary: 'is B a drop-in replacement for A?',
  args: 'A.json B.json | --provider NAME --target A --target B',
  flags: {
    provider: { type: 'string', value: 'NAME', description: 'the API both targets serve' },
    target: { type: 'string', multiple: true, value: 'URL', description: 'A then B (one: B, compared with the built-in reference server)' },
    spec: { type: 'string', value: 'FILE', description: 'an OpenAPI document instead of the bundled one' },
    examples: { type: 'string', value: 'N', description: 'property-based examples per operation (default 25)' },
    seed: { type: 'string', value: 'N', description: 'seed of both runs (default random)' },
    var: { type: 'string', multiple: true, value: 'NAME=VALUE', description: 'value for a path parameter (repeatable)' },
    'report-dir': { type: 'string', value: 'DIR', description: 'where compare.json, compare.md and each run\'s reports go (default ./reports)' },
    timeout: { type: 'string', value: 'MS', description: 'per-request timeout (default 30000)' },
    concurrency: { type: 'string', value: 'N', description: 'requests in flight per operation (default 4)' },
    'ready-timeout': { type: 'string', value: 'MS', description: 'how long a resource may take to become ready or gone' },
    mode: { type: 'string', value: 'MODE', description: 'read-only or full' },
    'allow-writes': { type: 'boolean', description: 'confirms --mode full against targets not on this machine' },
    include: { type: 'string', multiple: true, value: 'SEL', description: 'only operations that match (repeatable)' },
    exclude: { type: 'string', multiple: true, value: 'SEL', description: 'leave out operations that match (repeatable)' },
    help: HELP,
  },
  notes: ['Exit 0 when nothing that passes against A fails against B, 1 otherwise.'],
} as const satisfies CommandSpec;

const HELP_COMMAND = {
  name: 'help',
  summary: 'show this help, or a command\'s (help COMMAND)',
  args: '[COMMAND]',
  flags: { help: HELP },
} as const satisfies CommandSpec;

export const COMMANDS = { run: RUN, serve: SERVE, cleanup: CLEANUP, diff: DIFF, merge: MERGE, replay: REPLAY, compare: COMPARE, help: HELP_COMMAND } as const;
export type CommandName = keyof typeof COMMANDS;

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** The help of one command: usage line, summary, its flags from the table. */
export function commandHelp(name: CommandName): string {
  const command: CommandSpec = COMMANDS[name];
  const flags = Object.entries(command.flags).filter(([, f]) => !f.hidden);
  const labels = flags.map(([flag, f]) => `${f.short ? `-${f.short}, ` : '    '}--${flag}${f.value ? ` ${f.value}` : ''}`);
  const width = Math.max(0, ...labels.map((l) => l.length)) + 2;
  return [
    `usage: conformance ${command.name}${command.args ? ` ${command.args}` : ''}${flags.length > 1 ? ' [options]' : ''}`,
    '',
    command.summary,
    '',
    'options:',
    ...flags.map(([, f], i) => `  ${labels[i]!.padEnd(width)}${f.description}`),
    ...(command.notes ? ['', ...command.notes] : []),
    '',
  ].join('\n');
}

/** The overview: every command with its summary. */
export function overview(): string {
  const names = Object.keys(COMMANDS) as CommandName[];
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return [
    'usage: conformance <command> [options]',
    '',
    'commands:',
    ...names.map((n) => `  ${n.padEnd(width)}${COMMANDS[n].summary}`),
    '',
    'options:',
    '  -h, --help     show this help (conformance COMMAND --help: that command\'s options)',
    '  -v, --version  print the version',
    '',
    'environment:',
    '  CONFORMANCE_TOKEN, or CONFORMANCE_USERNAME and CONFORMANCE_PASSWORD   credentials (run; serve accepts them)',
    '  CONFORMANCE_API_KEY; CONFORMANCE_CLIENT_ID and CONFORMANCE_CLIENT_SECRET   for the spec\'s apiKey or oauth2 schemes',
    '  CONFORMANCE_SEED, CONFORMANCE_VAR_<NAME>   default --seed, --var values',
    '  HTTP_PROXY, HTTPS_PROXY, NO_PROXY          a proxy for the requests',
    '  NO_COLOR, FORCE_COLOR                      colour off, or on when not on a terminal',
    '',
  ].join('\n');
}

/** Edit distance between two short strings: insertions, deletions, substitutions and swaps of neighbours count 1. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate closest to `input`, when it is close enough to be a likely typo (or `input` is a prefix of it). */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = candidate.startsWith(input) && input.length >= 3 ? 1 : editDistance(input, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(input.length / 4)) ? best : undefined;
}
