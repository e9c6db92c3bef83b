import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import { UsageError, errorMessage } from '../errors.ts';
import { PROVIDERS, providerByName } from '../providers/registry.ts';
import type { ProviderProfile } from '../providers/types.ts';
import { loadSpec } from '../spec/load.ts';
import { integer, parseFlags, type Io } from './common.ts';

export const SERVE_USAGE = `usage: conformance serve --provider NAME [options]

Starts a provider's stateful reference server: a drop-in mock of the API for your own tests and CI.

options:
  --provider NAME     ${PROVIDERS.map((p) => p.name).join(', ')} (required)
  --port N            port (default 8080; 0 picks a free one)
  --host HOST         interface (default 127.0.0.1)
  --ready-delay MS    how long resources stay in their transitional state (default 2000)
  --org UUID          clickhouse-cloud: a fixed organization id (default: CONFORMANCE_VAR_organizationId, else a new one)
  --seed-data FILE    start with your own fixtures: a JSON file in the provider's seed format (see README)
  --help              show this help

credentials (environment; generated and printed when unset):
  CONFORMANCE_USERNAME, CONFORMANCE_PASSWORD   HTTP Basic (every provider)
  CONFORMANCE_TOKEN                            Bearer token (only providers whose API takes one: IONOS)
Only the schemes the provider's API accepts are printed and accepted.

seed data (--seed-data), one JSON object per provider:
  ionos-postgresql   {"clusters": [{"id"?: UUID, "properties": {...as in POST /clusters}}]}
  ionos-inmemorydb   {"replicaSets": [{"id"?: UUID, "properties": {...as in POST /replicasets}}]}
  redis-enterprise   {"bdbs": [{...a BDB object as in POST /v1/bdbs, "uid" optional}]}
  clickhouse-cloud   {"services": [{"id"?: UUID, ...as in POST /v1/organizations/{organizationId}/services}]}
Entries are created through the API's own create operation (and refused as it would refuse them), ready at once.
`;

const SERVE_OPTIONS = {
  provider: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'ready-delay': { type: 'string' },
  org: { type: 'string' },
  'seed-data': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  fault: { type: 'string', multiple: true },
} satisfies ParseArgsConfig['options'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HINT = 'run `conformance serve --help` for the options';

/** The HTTP authentication schemes the provider's spec declares (basic, bearer), in the spec's order. */
export async function acceptedSchemes(profile: ProviderProfile): Promise<string[]> {
  const spec = await loadSpec(profile.spec);
  const schemes = Object.values(spec.securitySchemes)
    .filter((s) => s.type === 'http' && typeof s.scheme === 'string')
    .map((s) => String(s.scheme).toLowerCase());
  return [...new Set(schemes)];
}

/** `--seed-data FILE`: parsed JSON, or a one-line usage error. */
function readSeedData(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --seed-data ${file}: ${errorMessage(error)}`, 'pass a JSON file in the provider\'s seed format (conformance serve --help)');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--seed-data ${file} is not JSON: ${errorMessage(error)}`, 'pass a JSON file in the provider\'s seed format (conformance serve --help)');
  }
}

/**
 * `conformance serve`: starts a reference server and keeps it running until `stop` settles (by default SIGINT or SIGTERM).
 * Returns the exit code: 0 after a clean stop, 2 for bad input.
 */
export async function serveCommand(args: string[], io: Io, stop?: Promise<unknown>): Promise<number> {
  const { values: flags, positionals } = parseFlags(args, SERVE_OPTIONS, HINT);
  if (flags.help) {
    io.out(SERVE_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, HINT);
  if (!flags.provider) throw new UsageError('serve needs --provider', `choose one of: ${PROVIDERS.map((p) => p.name).join(', ')}`);
  const profile = providerByName(flags.provider);
  if (!profile.referenceServer) throw new UsageError(`provider ${profile.name} has no reference server`, 'choose another provider');
  const env = (name: string) => (process.env[name] ? process.env[name] : undefined);
  const variables: Record<string, string> = {};
  const hasOrg = (profile.variables ?? []).includes('organizationId');
  if (flags.org !== undefined && !hasOrg) throw new UsageError(`--org does not apply to ${profile.name}`, 'only clickhouse-cloud has an organization');
  const org = hasOrg ? (flags.org ?? env('CONFORMANCE_VAR_organizationId')) : undefined;
  if (org !== undefined) {
    if (!UUID.test(org)) throw new UsageError(`--org '${org}' is not a UUID`, 'for example --org 3f2f6f0e-8a77-4b4e-9d3c-5f1a2b3c4d5e');
    variables.organizationId = org.toLowerCase();
  }
  const seedData = flags['seed-data'] === undefined ? undefined : readSeedData(flags['seed-data']);
  const given = { username: env('CONFORMANCE_USERNAME'), password: env('CONFORMANCE_PASSWORD'), token: env('CONFORMANCE_TOKEN') };
  const credentials = {
    username: given.username ?? 'conformance',
    password: given.password ?? randomBytes(12).toString('base64url'),
    token: given.token ?? randomBytes(24).toString('base64url'),
  };
  const schemes = await acceptedSchemes(profile);
  let server;
  try {
    server = await profile.referenceServer({
      ...credentials,
      port: integer(flags.port, 'port', 8080, 0),
      host: flags.host ?? '127.0.0.1',
      readyDelayMs: integer(flags['ready-delay'], 'ready-delay', 2000, 0),
      faults: flags.fault,
      variables,
      seedData,
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'SeedDataError') throw new UsageError(`--seed-data ${flags['seed-data']}: ${error.message}`, 'fix the entry; the file format is in conformance serve --help');
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`port ${flags.port ?? 8080} is already in use`, 'pass another --port, or --port 0 for a free one');
    throw error;
  }
  io.out(`${profile.title} reference server listening on ${server.url}`);
  // Credentials the user set are not echoed; generated ones are printed once, since nothing else knows them.
  const shown = (value: string, variable: keyof typeof given, name: string) => (given[variable] ? `(from ${name})` : value);
  if (schemes.includes('basic')) io.out(`  basic auth: ${credentials.username} / ${shown(credentials.password, 'password', 'CONFORMANCE_PASSWORD')}`);
  if (schemes.includes('bearer')) io.out(`  bearer token: ${shown(credentials.token, 'token', 'CONFORMANCE_TOKEN')}`);
  for (const [name, value] of Object.entries(server.variables)) io.out(`  ${name}: ${value}`);
  io.out('Press Ctrl+C to stop.');
  await (stop ?? signalled());
  await server.close();
  return 0;
}

function signalled(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
