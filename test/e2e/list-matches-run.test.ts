import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { LIFECYCLE_CHECK_IDS, PAGINATION_PROBE_CHECKS } from '../../src/checks/stateful/registry.ts';
import { RESPONSE_CHECKS } from '../../src/checks/registry.ts';
import { genericProfile } from '../../src/providers/generic.ts';
import { PROVIDERS } from '../../src/providers/registry.ts';
import type { ProviderProfile } from '../../src/providers/types.ts';
import type { ConformanceReport } from '../../src/report/model.ts';
import { loadSpec } from '../../src/spec/load.ts';
import { generateLargeDocument } from '../corpus/generate-large.ts';
import { startSpecMock } from '../corpus/spec-mock.ts';

/**
 * `--list` promises only what the run can judge: over the corpus (the four specs with their profiles against their
 * reference servers, the generic profile of each spec against the same server, and the corpus documents against the
 * spec-driven mock), nothing judged is missing from the list, and every (operation, check) that --list names gets a
 * verdict in the report of the same run, with these exceptions, inherent because they depend on the server's answers:
 * - the checks below, in every run;
 * - in read-only runs and against servers the profile does not know (generic and corpus runs): the per-response checks, which judge
 *   only answers of the kind they check (a body to validate, a documented content type); the lifecycle checks of a
 *   resource type none of whose created instances could be read (ids that do not fit their parameter, creates the
 *   server refuses), and stateful checks on an operation that never answered 2xx.
 */
const ANSWER_DEPENDENT: Record<string, string> = {
  'rate-limit-budget': 'judged only on an answer that needed 429/503 retries',
  'write-only-not-returned': 'judged only once the run has sent a writeOnly value and an answer has a body',
  'pagination-walk': 'needs a collection of four items or more, and fewer than one large page holds',
  'filter-semantics': 'needs items whose filtered field tells them apart',
};

interface Scenario {
  name: string;
  args: string[];
  /** The profiles of the run, by provider name in the report. */
  profiles: ProviderProfile[];
  /**
   * Whether every listed check must have a verdict: a full run with the provider's own profile against its reference
   * server. Other runs may lack the data (a read-only run creates no parent to address sub-collections with) or send
   * what the server refuses.
   */
  known: boolean;
}

const CREDENTIALS = { username: 'listed', password: 'listed-test-pw', token: 'listed-test-token', readyDelayMs: 30 };

const servers: { close(): Promise<void> }[] = [];
const scenarios: Scenario[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  process.env.CONFORMANCE_USERNAME = CREDENTIALS.username;
  process.env.CONFORMANCE_PASSWORD = CREDENTIALS.password;
  delete process.env.CONFORMANCE_TOKEN;
  scenarios.push({ name: 'the four providers with their profiles', args: [], profiles: [...PROVIDERS], known: true });
  // A selection: a create's checks are judged although its read is not selected (the run still reads what it created).
  scenarios.push({ name: 'ionos-postgresql, creates and deletes only', args: ['--provider', 'ionos-postgresql', '--include', 'POST', '--include', 'DELETE'], profiles: [PROVIDERS[0]!], known: true });
  // A read-only run judges no lifecycle check: its listing promises none.
  for (const profile of PROVIDERS) scenarios.push({ name: `${profile.name} read-only`, args: ['--provider', profile.name, '--mode', 'read-only'], profiles: [profile], known: false });
  for (const profile of PROVIDERS) {
    const server = await profile.referenceServer!(CREDENTIALS);
    servers.push(server);
    const vars = Object.entries(server.variables).flatMap(([k, v]) => ['--var', `${k}=${v}`]);
    scenarios.push({ name: `generic profile of ${profile.name}`, args: ['--spec', profile.spec, '--target', server.url, '--mode', 'full', ...vars], profiles: [genericProfile(await loadSpec(profile.spec), profile.spec)], known: false });
  }
  // The generated large document (test/corpus/generate-large.ts: 34 resources, 204 operations) is written out first.
  const large = join(mkdtempSync(join(tmpdir(), 'conformance-listed-large-')), 'large-31.json');
  writeFileSync(large, JSON.stringify(generateLargeDocument()));
  for (const file of [...['petstore-30.yaml', 'bookings-30.json', 'fleet-31.yaml', 'realworld-31.yaml'].map((f) => join(import.meta.dirname, '../corpus', f)), large]) {
    const spec = await loadSpec(file);
    const mock = await startSpecMock(spec);
    servers.push(mock);
    scenarios.push({ name: `corpus ${file.split('/').at(-1)}`, args: ['--spec', file, '--target', mock.url, '--mode', 'full'], profiles: [genericProfile(spec, file)], known: false });
  }
}, 60_000);

afterAll(async () => {
  process.env = saved;
  await Promise.all(servers.map((s) => s.close()));
});

/** (provider operation check) triples that --list names. */
async function listed(args: string[]): Promise<Set<string>> {
  const out: string[] = [];
  const code = await main(['run', ...args, '--list'], { out: (s) => out.push(s), err: (s) => out.push(s) });
  expect(code, out.join('\n')).toBe(0);
  const promised = new Set<string>();
  let provider = '';
  for (const line of out.flatMap((l) => l.split('\n'))) {
    const plan = /^plan for (\S+)/.exec(line);
    if (plan) provider = plan[1]!;
    const entry = /^\s+(?:create|exercise|delete)\s+[A-Z]+\s+\S+ \((.+?)\): (.*)$/.exec(line);
    if (entry) for (const check of entry[2]!.split(', ').filter(Boolean)) promised.add(`${provider} ${entry[1]} ${check}`);
  }
  return promised;
}

async function run(args: string[]): Promise<ConformanceReport> {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-listed-'));
  const out: string[] = [];
  const code = await main(['run', ...args, '--seed', '7', '--examples', '3', '--ready-timeout', '3000', '--report-dir', dir], { out: (s) => out.push(s), err: (s) => out.push(s) });
  expect([0, 1], out.join('\n')).toContain(code);
  return JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
}

const PER_RESPONSE = new Set(RESPONSE_CHECKS.map((c) => c.id));
const PAGINATION = new Set(PAGINATION_PROBE_CHECKS.map((c) => c.id));

/** Why a listed check may have no verdict in this run (undefined: it must have one). */
function excuse(scenario: Scenario, report: ConformanceReport, provider: string, operationId: string, check: string): string | undefined {
  if (ANSWER_DEPENDENT[check]) return ANSWER_DEPENDENT[check];
  // The links are checked on the pages of the walk: where the walk has a verdict, so must they.
  const walked = report.results.some((r) => r.provider === provider && r.operationId === operationId && r.check === 'pagination-walk' && r.outcome !== 'skipped');
  if (check === 'pagination-links' && !walked) return 'the links are checked on the pages of the walk, which had no verdict';
  if (scenario.known) return undefined;
  if (PER_RESPONSE.has(check) || scenario.profiles.some((p) => p.checks?.some((c) => c.id === check))) return 'per-response checks judge only answers of their kind';
  const reached = report.coverage.operationList.some((c) => c.provider === provider && c.operationId === operationId && c.reach === 'answered-2xx');
  if (!reached && (PAGINATION.has(check) || LIFECYCLE_CHECK_IDS.includes(check))) return 'the operation never answered 2xx';
  const profile = scenario.profiles.find((p) => p.name === provider);
  const resources = profile?.resources.filter((r) => [r.create, r.read, r.list, r.delete, ...(r.update ?? [])].includes(operationId)) ?? [];
  const ready = (create: string) => report.results.some((r) => r.provider === provider && r.operationId === create && r.check === 'resource-availability' && r.outcome === 'passed');
  if (LIFECYCLE_CHECK_IDS.includes(check) && resources.length > 0 && resources.every((r) => !ready(r.create))) return 'no created instance of the resource could be read';
  return undefined;
}

describe('--list shows only checks that the run can judge', () => {
  it('over the corpus: everything judged is listed, everything listed is judged (but for answer-dependent checks)', async () => {
    const problems: string[] = [];
    for (const scenario of scenarios) {
      const promised = await listed(scenario.args);
      const report = await run(scenario.args);
      const verdicts = new Set(report.results.filter((r) => r.outcome !== 'skipped').map((r) => `${r.provider} ${r.operationId} ${r.check}`));
      expect(promised.size, scenario.name).toBeGreaterThan(0);
      for (const triple of verdicts) if (!promised.has(triple)) problems.push(`${scenario.name}: ${triple} was judged but not listed`);
      for (const triple of promised) {
        const [provider, operationId, check] = triple.split(' ') as [string, string, string];
        if (!verdicts.has(triple) && !excuse(scenario, report, provider, operationId, check)) problems.push(`${scenario.name}: ${triple} was listed but not judged`);
      }
    }
    expect(problems).toEqual([]);
  }, 240_000);
});
