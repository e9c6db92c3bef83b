import { randomBytes } from 'node:crypto';
import { UsageError, errorMessage } from '../errors.ts';
import { credentialsFromEnv, secretValues, type Credentials } from '../http/auth.ts';
import { Transport } from '../http/transport.ts';
import { isCredentialHeader } from '../http/headers.ts';
import { schemeCredentials, type SchemeCredentials } from '../http/security.ts';
import { TransportError } from '../http/types.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import type { ProviderProfile, ReferenceServer } from '../providers/types.ts';
import { Redactor, safeTarget } from '../http/redact.ts';
import { loadSpec } from '../spec/load.ts';
import { selectOperations } from '../spec/select.ts';
import type { ApiSpec } from '../spec/types.ts';
import { resolveAccounts } from './accounts.ts';
import type { RunConfig } from './config.ts';
import type { RunMode } from './plan.ts';
import { isLoopbackLiteral, resolvesToLoopback } from './locality.ts';

export interface RunOptions {
  profile: ProviderProfile;
  /** A spec to use instead of the profile's bundled one. */
  specFile?: string;
  /** Operation selectors (see src/spec/select.ts). */
  include?: string[];
  exclude?: string[];
  /** Without a target, the provider's reference server is started on loopback. */
  target?: string;
  examples: number;
  seed: number;
  variables: Record<string, string>;
  reportDir: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
  concurrency?: number;
  /** Default: full on loopback, read-only elsewhere. */
  mode?: RunMode;
  /** Required for a full run against a target that is not on this machine. */
  allowWrites?: boolean;
  /** Default: unlimited on loopback, 3 elsewhere. */
  maxResources?: number;
  readyTimeoutMs?: number;
  pollIntervalMs?: number;
  /** Extra headers sent with every request (-H); the credential-like ones are redacted. */
  headers?: Record<string, string>;
  /** Deliberate faults for the built-in server (the tool's own tests). */
  faults?: string[];
  /** Print the plan and stop, sending nothing (so no credentials are needed). */
  dryPlan?: boolean;
  /** The ledger's file name in the report directory (default ledger.json). */
  ledgerName?: string;
  /** Shared across the providers of one command so that --rate-limit bounds the whole run. */
  limiter?: RateLimiter;
}

/** A prepared run: spec loaded, target reachable (or reference server started), credentials known. */
export interface PreparedRun {
  config: RunConfig;
  server?: ReferenceServer;
}

export async function prepareRun(options: RunOptions): Promise<PreparedRun> {
  const loaded = await loadSpec(options.specFile ?? options.profile.spec);
  const spec = selectOperations(loaded, options.include, options.exclude);
  if (spec.operations.length === 0) throw new UsageError('no operation matches --include/--exclude', 'run with --list to see the operations and their ids, tags and paths');
  const redactor = new Redactor();
  let credentials: Credentials;
  let target = options.target;
  let server: ReferenceServer | undefined;
  let fromScheme: SchemeCredentials | undefined;
  const variables = { ...options.variables };
  let requestsBefore = 0;
  if (target === undefined && options.dryPlan && !options.profile.referenceServer) {
    // A plan needs no target: nothing is sent.
    target = spec.servers[0] || 'http://localhost';
    credentials = { kind: 'none' };
  } else if (target === undefined) {
    const secrets = { username: 'conformance', password: randomBytes(12).toString('base64url'), token: randomBytes(24).toString('base64url') };
    if (!options.profile.referenceServer) throw new UsageError(`provider ${options.profile.name} has no built-in server`, 'pass --target URL');
    server = await options.profile.referenceServer({ ...secrets, readyDelayMs: 150, faults: options.faults });
    target = server.url;
    credentials = { kind: 'basic', username: secrets.username, password: secrets.password };
    redactor.addSecret(secrets.token);
    Object.assign(variables, server.variables, options.variables);
  } else {
    validateTarget(target);
    credentials = credentialsFromEnv(options.env);
    // Credentials in the URL (https://user:secret@host) are used as basic auth and never written out.
    const url = new URL(target);
    if (url.username || url.password) {
      const username = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      redactor.addSecret(password);
      redactor.addSecret(url.password);
      redactor.addSecret(`${url.username}:${url.password}`, false);
      if (credentials.kind === 'none') credentials = { kind: 'basic', username, password };
      target = safeTarget(target);
    }
    // An API key or OAuth2 client credentials for the spec's own securitySchemes (src/http/security.ts).
    if (credentials.kind === 'none' && !options.dryPlan) {
      // Counted: the report's request count is every request the server received for the run.
      const transport = new Transport({ timeoutMs: options.timeoutMs ?? 30_000 });
      try {
        fromScheme = await schemeCredentials(spec, options.env, target, { send: (request) => transport.sendOnce(request) });
      } finally {
        requestsBefore += transport.sent;
        await transport.close();
      }
      if (fromScheme?.token) credentials = { kind: 'bearer', token: fromScheme.token };
    }
    // A plan or a list sends nothing, so it needs no credentials.
    if (credentials.kind === 'none' && !fromScheme && !options.dryPlan && !hasCredentialHeader(options.headers) && spec.operations.some((op) => op.security.length > 0)) {
      const types = new Set(Object.values(spec.securitySchemes).map((scheme) => scheme.type));
      const more = `${types.has('apiKey') ? ', or CONFORMANCE_API_KEY' : ''}${types.has('oauth2') ? ', or CONFORMANCE_CLIENT_ID and CONFORMANCE_CLIENT_SECRET' : ''}`;
      throw new UsageError(`the ${options.profile.name} API requires credentials and none are set`, `set CONFORMANCE_TOKEN, or CONFORMANCE_USERNAME and CONFORMANCE_PASSWORD${more}`);
    }
  }
  // The password or token itself in pieces too; the header and base64 forms, which also encode the user name, whole.
  for (const secret of secretValues(credentials)) redactor.addSecret(secret, secret === (credentials as { password?: string }).password || secret === (credentials as { token?: string }).token);
  for (const [name, value] of Object.entries(options.headers ?? {})) if (isCredentialHeader(name)) redactor.addSecret(value);
  for (const secret of fromScheme?.secrets ?? []) redactor.addSecret(secret);
  const headers = { ...options.headers, ...fromScheme?.headers };
  const credentialHeaders = [...Object.keys(options.headers ?? {}).filter(isCredentialHeader), ...Object.keys(fromScheme?.headers ?? {})];
  registerSecretVariables(redactor, variables);
  const accounts = resolveAccounts(options.profile, variables, options.env, redactor);
  checkVariables(options.profile, spec, variables);
  // On this machine only when every address the name resolves to is loopback (a reference server we started is).
  const local = server !== undefined || (await resolvesToLoopback(target));
  const mode = options.mode ?? (local ? 'full' : 'read-only');
  if (mode === 'full' && !local && !options.allowWrites) {
    throw new UsageError(`--mode full against ${new URL(target).host} would create, change and delete resources`, 'add --allow-writes to confirm, or use --mode read-only');
  }
  const runId = randomBytes(3).toString('hex');
  const config: RunConfig = {
    mode,
    profile: options.profile,
    spec,
    allOperations: loaded.operations,
    target,
    credentials,
    accounts,
    ...(Object.keys(headers).length > 0 ? { headers, credentialHeaders } : {}),
    ...(fromScheme && Object.keys(fromScheme.query).length > 0 ? { credentialQuery: fromScheme.query } : {}),
    redactor,
    examples: options.examples,
    seed: options.seed,
    variables,
    reportDir: options.reportDir,
    runId,
    timeoutMs: options.timeoutMs ?? 30_000,
    pollIntervalMs: options.pollIntervalMs ?? (local ? 50 : 5_000),
    readyTimeoutMs: options.readyTimeoutMs ?? (local ? 30_000 : 30 * 60_000),
    concurrency: options.concurrency ?? 4,
    maxResources: options.maxResources ?? (local ? Number.POSITIVE_INFINITY : 3),
    ...(options.limiter ? { limiter: options.limiter } : {}),
    ...(options.ledgerName ? { ledgerName: options.ledgerName } : {}),
    requestsBefore,
  };
  return { config, server };
}

function validateTarget(target: string): void {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(`--target '${target}' is not a URL`, 'pass the API server root, for example https://api.example.com/databases/postgresql');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--target must be http or https, not ${url.protocol}`, 'pass an http(s) URL');
}

/**
 * One request to the target's root: any HTTP answer proves it reachable; otherwise a UsageError says why not.
 * Returns how many requests it sent (the run's report counts them).
 */
export async function checkReachable(target: string, timeoutMs = 10_000): Promise<number> {
  const transport = new Transport({ timeoutMs, connections: 1 });
  try {
    await transport.sendOnce({ method: 'GET', url: target, headers: {} });
    return transport.sent;
  } catch (error) {
    throw new UsageError(`target ${target} is unreachable: ${error instanceof TransportError ? error.message : errorMessage(error)}`, 'check the URL and that the API is up');
  } finally {
    await transport.close();
  }
}

/** Whether anything answers at the target's root. */
export async function reachable(target: string, timeoutMs = 3_000): Promise<boolean> {
  return checkReachable(target, timeoutMs).then(
    () => true,
    () => false,
  );
}

function checkVariables(profile: ProviderProfile, spec: ApiSpec, variables: Record<string, string>): void {
  for (const name of profile.variables ?? []) {
    if (!spec.operations.some((op) => op.path.includes(`{${name}}`))) continue;
    if (variables[name] === undefined) throw new UsageError(`path parameter ${name} has no value`, `pass --var ${name}=VALUE or set CONFORMANCE_VAR_${name.toUpperCase()}`);
  }
}

/** Whether a URL's host is a literal loopback address or localhost (no name resolved; see resolvesToLoopback). */
export function isLoopback(target: string): boolean {
  return isLoopbackLiteral(target);
}

/** Variables that hold secrets (a reference server's viewerPassword) are redacted wherever they appear. */
function registerSecretVariables(redactor: Redactor, variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) if (redactor.isSecretKey(name)) redactor.addSecret(value);
}

/** An Authorization header (or another credential-like one) given with -H stands for the credentials. */
function hasCredentialHeader(headers: Record<string, string> | undefined): boolean {
  return Object.keys(headers ?? {}).some(isCredentialHeader);
}
