import type { ReferenceServer, ReferenceServerOptions } from '../../fixtures/common/types.ts';
import type { JsonSchema, Operation } from '../spec/types.ts';
import type { SchemaDirection } from '../spec/json-schema.ts';
import type { Exchange } from './exchange.ts';
import type { RequestInput } from './http.ts';

// A check reads the profile and a profile carries its own checks: the two types refer to each other, so they live in
// one file (src/core/ has no cycle between its files either).

export interface ValidationIssue {
  /** JSON pointer into the validated value, '' for the root. */
  path: string;
  message: string;
}

/** Validates values against a schema (src/checks/validators.ts: ValidatorCache, compiled once per run). */
export interface SchemaValidator {
  validate(schema: JsonSchema, value: unknown, direction: SchemaDirection): ValidationIssue[];
}

export interface CheckContext {
  validators: SchemaValidator;
  profile: ProviderProfile;
  /** Every value the run has sent in a writeOnly field so far. */
  writeOnlyValues: ReadonlySet<string>;
}

/**
 * A check is a small pure function with a stable id, in the manner of Schemathesis:
 * `applies` says whether the exchange is in its scope, `run` returns failure messages (empty when it passes).
 * `warn` returns what the check found where the documentation is silent: reported apart, never a failure.
 */
export interface Check {
  id: string;
  description: string;
  applies(exchange: Exchange, context: CheckContext): boolean;
  /** Whether the check can judge this operation at all (for the plan listing); every operation when absent. */
  relevantTo?(operation: Operation, profile: ProviderProfile): boolean;
  run(exchange: Exchange, context: CheckContext): string[];
  warn?(exchange: Exchange, context: CheckContext): string[];
}

/** A check's verdict on one exchange: failures (the docs are explicit) and warnings (they are silent). */
export interface Verdict {
  failures: string[];
  warnings: string[];
}

export function judge(check: Check, exchange: Exchange, context: CheckContext): Verdict {
  return { failures: check.run(exchange, context), warnings: check.warn?.(exchange, context) ?? [] };
}

/** How a resource's asynchronous state is read and which values mean what. */
export interface LifecycleStates {
  /** Reads the state from a read (GET) response body. */
  read(body: unknown): string | undefined;
  ready: string[];
  transitional: string[];
  failed: string[];
  deleting: string[];
}

/** A resource that the run can create, read and delete, and how the operations link. */
export interface ResourceProfile {
  name: string;
  create: string;
  read: string;
  delete: string;
  list?: string;
  update?: string[];
  /**
   * Create-or-replace operations (PUT "ensure"): an unknown id creates the resource. The run sends them no
   * unknown-id request, does not expect them to fail after a delete, and records what they create for cleanup.
   */
  upsert?: string[];
  /** Where documented: a change to a resource busy with another change is refused with this status (Redis: 409). */
  busyConflict?: { operations: string[]; status: number };
  /** The path parameter that carries this resource's id in read, update and delete. */
  idParam: string;
  /** Extracts the new id from the create response body. */
  idFrom(body: unknown): string | undefined;
  states?: LifecycleStates;
  /** Ids in a list response, for list-contains-created and list-omits-deleted. */
  listIds?(body: unknown): string[];
  /** Where the resource's fields sit in a read response, relative to the create body (ClickHouse: body.result). */
  echoRoot?(body: unknown): unknown;
  /** JSON pointers (relative to the create body) that create-echo and update-applied do not compare. */
  echoIgnore?: string[];
  /** JSON pointers of a read response that change by themselves (state, timestamps): ignored when checking that nothing changed. */
  volatile?: string[];
  /** Puts the run marker into a create body where the API allows a free-text name. */
  markName?(body: Record<string, unknown>, marker: string): void;
  /**
   * A step the API requires before a delete (ClickHouse: stop the service first): this operation is sent
   * with the resource's path parameters and this body, then the resource is polled until a state in `until`.
   */
  beforeDelete?: { operationId: string; body: unknown; until: string[] };
  /**
   * Operations that change the resource's state (ClickHouse start/stop): a change sent while another is under way is
   * a state conflict, not a data refusal. Their cases are sent one at a time, each once the resource has settled.
   */
  settleBefore?: string[];
  /**
   * Resource types this one refers to (a database's owner is a user): a server may refuse to delete one that is still
   * referred to, so the run deletes this one first.
   */
  refersTo?: string[];
}

/** Values for a path parameter that the run cannot create but can find by listing. */
export interface IdSource {
  operationId: string;
  ids(body: unknown): string[];
}

/** How list operations page: parameter names and where items, echoes and links sit in the body. */
export interface PaginationProfile {
  limit: string;
  offset: string;
  items(body: unknown): unknown[];
  /** The id of an item, to compare pages. */
  itemId(item: unknown): string;
  echo?(body: unknown): { offset?: number; limit?: number };
  links?(body: unknown): { self?: string; next?: string; prev?: string };
}

/** A documented substring filter: `param` keeps the items whose `field` contains the value, case-insensitively. */
export interface FilterProfile {
  param: string;
  field(item: unknown): string | undefined;
  caseInsensitive: boolean;
}

export interface ErrorEnvelope {
  schema: JsonSchema;
  /** Rules the schema cannot say, for example that the body's status equals the HTTP status. */
  rules?(body: unknown, status: number): string[];
}

export interface BodyContext {
  operationId: string;
  /** Known ids by path parameter name. */
  ids: ReadonlyMap<string, readonly string[]>;
  pathParams: Record<string, string>;
  /** Ids of `param` that the run created and still holds under the same parent ids as `pathParams` (a cluster's own users). */
  idsWithin?(param: string): string[];
}

/**
 * Everything the engine knows about one provider. The engine itself is generic:
 * provider knowledge lives here, never in `if (provider === ...)` branches.
 */
export interface ProviderProfile {
  name: string;
  title: string;
  /** Absolute path of the bundled spec. */
  spec: string;
  errorEnvelope?: ErrorEnvelope;
  resources: ResourceProfile[];
  idSources?: Record<string, IdSource>;
  /** Ids that responses hand out for later polling (Redis action_uid), by path parameter name. */
  harvest?: Record<string, { operationIds: string[]; id(body: unknown): string | undefined }>;
  pagination?: PaginationProfile;
  /** Checks of semantics only this provider documents (Redis `fields`, PostgreSQL log order), run on every response. */
  checks?: Check[];
  filters?: FilterProfile[];
  /** Path parameters the user supplies (for example organizationId), by name. */
  variables?: string[];
  /**
   * Whether the profile encodes the API's cross-field and reference rules, so that schema-valid data refused with
   * 400/422 is the API's fault (positive-data-acceptance). An inferred profile cannot know them. Default true.
   */
  knowsSemantics?: boolean;
  /** Cross-field rules the schema cannot express: adjusts a generated body so that the API can accept it. */
  prepareBody?(body: unknown, context: BodyContext): unknown;
  /** The same for query parameters (for example a time window whose start must precede its end). */
  prepareQuery?(query: Record<string, unknown>, context: BodyContext): Record<string, unknown>;
  /** The same for header parameters (for example a state token the client cannot make up). */
  prepareHeaders?(headers: Record<string, unknown>, context: BodyContext): Record<string, unknown>;
  /**
   * A query parameter that turns a write into a validation only (Redis `dry_run`): such requests create nothing,
   * and lifecycle probes never send it.
   */
  dryRun?: { param: string };
  /**
   * Stateful checks of semantics only this provider documents (Redis dry_run, uid conflicts, roles, action polling),
   * run after each operation's cases through the engine's own request and reporting machinery.
   */
  probe?(operation: Operation, api: ProfileProbeApi): Promise<void>;
  /**
   * The stateful checks `probe` reports, each judging what the probe observed (ProbeCheck below): the
   * report matrix, the run-start event and --list read them with the generic ones (statefulChecksOf).
   */
  probeChecks?: ProbeCheck[];
  /** Starts the bundled reference server for this provider. */
  referenceServer?(options: ReferenceServerOptions): Promise<ReferenceServer>;
  /**
   * Other accounts the provider's probes use besides the run's credentials (Redis: a read-only viewer), resolved once
   * per run from `<envPrefix>_USERNAME/_PASSWORD` or the reference server's variables, and redacted like the run's own.
   */
  extraAccounts?: ExtraAccount[];
}

/** An account besides the run's own credentials (see ProviderProfile.extraAccounts). */
export interface ExtraAccount {
  /** How probes and replay name it: `api.account('viewer')`. */
  name: string;
  /** The environment prefix: 'CONFORMANCE_X' reads CONFORMANCE_X_USERNAME and CONFORMANCE_X_PASSWORD. */
  envPrefix: string;
  /** Names of the reference server's variables that hold the account (used when the environment does not set it). */
  variables?: { username: string; password: string };
  /** What the account is, for messages: 'the read-only account'. */
  description: string;
}

/** What a provider's own probe may do: send checked and reported requests, and report outcomes. */
export interface ProfileProbeApi {
  readonly ids: ReadonlyMap<string, readonly string[]>;
  readonly variables: Readonly<Record<string, string>>;
  readonly env: NodeJS.ProcessEnv;
  readonly pollIntervalMs: number;
  readonly readyTimeoutMs: number;
  /** Whether the run found that resources of this type never become ready: a probe does not wait for them again. */
  neverReady?(resource: string): boolean;
  operation(id: string): Operation | undefined;
  /** A valid generated request for the operation, addressed at known ids (overridden by `path`), with the profile's rules applied. */
  valid(operation: Operation, path?: Record<string, string>): RequestInput | undefined;
  /** Sends through the response checks and reports it; `authorization` null sends none, a string that header. */
  exchange(operation: Operation, input: RequestInput, options?: { authorization?: string | null; note?: string }): Promise<Exchange>;
  /** Judges an observation with one of the profile's probe checks and reports the verdict against the operation. */
  report<O>(operation: Operation, check: ProbeCheck<O>, observation: O, exchange?: Exchange): void;
  /** The Authorization header of one of the profile's extraAccounts, or undefined when the run has no credentials for it. */
  account(name: string): string | undefined;
}

/** How a reference server is started and what it hands back: the fixtures' own types (they import nothing from src/). */
export type { ReferenceServer, ReferenceServerOptions };

/** The verdict of a stateful check: failures where the docs are explicit, warnings where they are silent. */
export interface ProbeVerdict {
  failures: string[];
  warnings?: string[];
}

/** What a run may send: a read-only run sends only GET and HEAD. */
export type ProbeMode = 'full' | 'read-only';

/**
 * A stateful check: a probe in src/run/ (or a provider's probe) gathers what several requests showed into an
 * observation; `judge` decides, purely. `relevantTo` says where a run can judge it: --list, the run-start event
 * (the report matrix) and the create-outcomes warning read it.
 */
export interface ProbeCheck<O = any> {
  /** Stable: reports, baselines and filters refer to it. */
  id: string;
  description: string;
  /** Whether a run in this mode can judge the check on this operation (read by --list, run-start, the matrix). */
  relevantTo(operation: Operation, profile: ProviderProfile, mode: ProbeMode): boolean;
  /** Pure: judges what a probe recorded. No I/O. */
  judge(observation: O): ProbeVerdict;
}
