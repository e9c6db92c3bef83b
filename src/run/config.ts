import type { Credentials } from '../http/auth.ts';
import type { ProviderProfile } from '../providers/types.ts';
import type { Redactor } from '../http/redact.ts';
import type { ApiSpec, Operation } from '../spec/types.ts';

import type { RunMode } from './plan.ts';
import type { RateLimiter } from '../http/rate-limit.ts';

export interface RunConfig {
  /** read-only sends only GET and HEAD; full also creates, updates and deletes (its own resources only). */
  mode: RunMode;
  profile: ProviderProfile;
  /** The operations selected for the run (--include/--exclude applied). */
  spec: ApiSpec;
  /** Every operation of the document: cleanup reads and deletes what the run created even when those operations are not selected. */
  allOperations?: Operation[];
  /** The API's server root; spec paths hang below it. */
  target: string;
  credentials: Credentials;
  /** The profile's extraAccounts the run has credentials for, by name (src/run/accounts.ts). */
  accounts: Record<string, Credentials>;
  /** Extra headers (-H, an API key in a header or cookie) sent with every request; credentials among them are redacted. */
  headers?: Record<string, string>;
  /** Which extra headers carry credentials (the auth probes leave them out or send them wrong). */
  credentialHeaders?: string[];
  /** An API key in the query, added to the requests of operations that require credentials. */
  credentialQuery?: Record<string, string>;
  redactor: Redactor;
  /** Property-based examples per operation. */
  examples: number;
  seed: number;
  /** Values for path parameters the user supplies (--var name=value). */
  variables: Record<string, string>;
  reportDir: string;
  runId: string;
  timeoutMs: number;
  pollIntervalMs: number;
  readyTimeoutMs: number;
  concurrency: number;
  /** How many resources the run may hold at once (creates beyond it are not sent). */
  maxResources: number;
  /** The ledger's file name in reportDir (default ledger.json); providers that run side by side each have their own. */
  ledgerName?: string;
  /** Shared by every session of a command, so --rate-limit bounds the whole run. */
  limiter?: RateLimiter;
  /** Requests sent for this run before its session existed (a token request, the reachability check): the report counts them. */
  requestsBefore?: number;
}
