import type { ReferenceServer, ReferenceServerOptions } from '../../fixtures/common/types.ts';
import type { Check, Exchange } from '../checks/types.ts';
import type { ProbeCheck } from '../checks/stateful/types.ts';
import type { RequestInput } from '../generate/request.ts';
import type { JsonSchema, Operation } from '../spec/types.ts';

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
   * The stateful checks `probe` reports, each judging what the probe observed (src/checks/stateful/types.ts): the
   * report matrix, the run-start event and --list read them with the generic ones (statefulChecksOf).
   */
  probeChecks?: ProbeCheck[];
  /** Starts the bundled reference server for this provider. */
  referenceServer?(options: ReferenceServerOptions): Promise<ReferenceServer>;
}

/** What a provider's own probe may do: send checked and reported requests, and report outcomes. */
export interface ProfileProbeApi {
  readonly ids: ReadonlyMap<string, readonly string[]>;
  readonly variables: Readonly<Record<string, string>>;
  readonly env: NodeJS.ProcessEnv;
  readonly pollIntervalMs: number;
  readonly readyTimeoutMs: number;
  operation(id: string): Operation | undefined;
  /** A valid generated request for the operation, addressed at known ids (overridden by `path`), with the profile's rules applied. */
  valid(operation: Operation, path?: Record<string, string>): RequestInput | undefined;
  /** Sends through the response checks and reports it; `authorization` null sends none, a string that header. */
  exchange(operation: Operation, input: RequestInput, options?: { authorization?: string | null; note?: string }): Promise<Exchange>;
  /** Judges an observation with one of the profile's probe checks and reports the verdict against the operation. */
  report<O>(operation: Operation, check: ProbeCheck<O>, observation: O, exchange?: Exchange): void;
}

/** How a reference server is started and what it hands back: the fixtures' own types (they import nothing from src/). */
export type { ReferenceServer, ReferenceServerOptions };
