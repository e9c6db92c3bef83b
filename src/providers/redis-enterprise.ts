import { fileURLToPath } from 'node:url';
import { fieldsProjection, redisProbe } from './redis-enterprise-checks.ts';
import { REDIS_PROBE_CHECKS } from './redis-enterprise-probe-checks.ts';
import type { LifecycleStates, ProfileProbeApi, ProviderProfile, ResourceProfile } from './types.ts';

type Body = Record<string, any>;

const CREATE = 'cluster_create_bdb';
const CREATE_V2 = 'cluster_create_bdb_v2';
const UPDATES = ['cluster_update_bdb', 'cluster_update_bdb_with_action'];
const MIB_100 = 100 * 1024 * 1024;
/** The documented default sharding rules (bdb object, shard_key_regex). */
const DEFAULT_SHARD_KEY_REGEX = [{ regex: '.*\\{(?<tag>.*)\\}.*' }, { regex: '(?<tag>.*)' }];

/** BDB `status`: pending -> active | creation-failed; active -> active-change-pending | import-pending | delete-pending. */
const bdbStates: LifecycleStates = {
  read: (body) => (body as Body | undefined)?.status,
  ready: ['active'],
  transitional: ['pending', 'active-change-pending', 'import-pending', 'recovery'],
  failed: ['creation-failed'],
  deleting: ['delete-pending'],
};

/**
 * The new database's uid. A create answer without status and action_uid started no state machine: it is the answer
 * to a dry run (dry_run validates only), so nothing was created and there is nothing to clean up.
 */
function createdUid(body: unknown): string | undefined {
  const b = body as Body | undefined;
  if (typeof b?.uid !== 'number' || (b.status === undefined && b.action_uid === undefined)) return undefined;
  return String(b.uid);
}

/** The run marker in front of the database name: letters, digits and hyphens, at most 63 characters. */
function marked(marker: string, name: unknown): string {
  return `${marker}-${typeof name === 'string' ? name : ''}`.slice(0, 63).replace(/-+$/, '');
}

/** What the v1 and v2 databases share: the same read, list and delete. */
const bdbCommon = {
  read: 'cluster_get_bdb',
  delete: 'cluster_delete_bdb',
  list: 'cluster_get_bdbs',
  idParam: 'uid',
  idFrom: createdUid,
  states: bdbStates,
  listIds: (body: unknown) => (Array.isArray(body) ? body.map((b: Body) => String(b?.uid)) : []),
  volatile: ['/status'],
} satisfies Partial<ResourceProfile>;

/** Redis Enterprise Software cluster REST API: databases (bdbs) and the actions that track their changes. */
export const redisEnterprise: ProviderProfile = {
  name: 'redis-enterprise',
  title: 'Redis Enterprise Software REST API (databases)',
  spec: fileURLToPath(new URL('../../specs/redis-enterprise.yaml', import.meta.url)),
  errorEnvelope: {
    schema: {
      type: 'object',
      required: ['error_code'],
      properties: { error_code: { type: 'string' }, message: { type: 'string' } },
    },
  },
  // The v2 resource comes first: the plan gives the shared delete operation to the last resource that names it (bdb).
  resources: [
    {
      ...bdbCommon,
      name: 'bdb-v2',
      create: CREATE_V2,
      // The v2 create body holds the database under `bdb`.
      echoRoot: (body) => ({ bdb: body }),
      markName: (body, marker) => {
        const bdb = (body.bdb ??= {}) as Body;
        bdb.name = marked(marker, bdb.name);
      },
    },
    {
      ...bdbCommon,
      name: 'bdb',
      create: CREATE,
      update: UPDATES,
      busyConflict: { operations: UPDATES, status: 409 },
      markName: (body, marker) => {
        body.name = marked(marker, body.name);
      },
    },
  ],
  // Creates and updates hand out the action_uid to poll; a read-only run finds them on the databases.
  harvest: {
    action_uid: { operationIds: [CREATE, CREATE_V2, ...UPDATES], id: (body) => (typeof (body as Body)?.action_uid === 'string' ? (body as Body).action_uid : undefined) },
  },
  idSources: {
    action_uid: { operationId: 'cluster_get_bdbs', ids: (body) => (Array.isArray(body) ? body.map((b: Body) => b?.action_uid).filter((a): a is string => typeof a === 'string') : []) },
  },
  checks: [fieldsProjection],
  probeChecks: REDIS_PROBE_CHECKS,
  async probe(operation, api) {
    await redisProbe(operation, api);
    if (UPDATES.includes(operation.id)) await untilSettled(api);
  },
  dryRun: { param: 'dry_run' },
  prepareHeaders(headers) {
    // cluster-state-id must come from an earlier answer's header; a made-up one is refused with 406.
    delete headers['cluster-state-id'];
    return headers;
  },
  prepareBody(body, context) {
    if (!isObject(body)) return body;
    if (context.operationId === CREATE) prepareBdb(body, true);
    if (context.operationId === CREATE_V2) {
      // A recovery plan needs persistence files that exist on the cluster's nodes.
      delete body.recovery_plan;
      if (isObject(body.bdb)) prepareBdb(body.bdb, true);
    }
    if (UPDATES.includes(context.operationId)) prepareBdb(body, false);
    return body;
  },
  referenceServer: async (options) => (await import('../../fixtures/redis-enterprise/server.ts')).startRedisEnterpriseServer(options),
  // The docs' db_viewer role may read and not write (roles-enforced); the reference server hands out such an account.
  extraAccounts: [{ name: 'viewer', envPrefix: 'CONFORMANCE_VIEWER', variables: { username: 'viewerUsername', password: 'viewerPassword' }, description: 'the read-only account' }],
};

/**
 * Changes are asynchronous, and a database busy with one refuses further changes and deletes (409, "retry later").
 * After an update operation's cases, wait until the run's databases are active again, so that the lifecycle probes
 * and the deletes that follow meet active databases (one list request per poll).
 */
async function untilSettled(api: ProfileProbeApi): Promise<void> {
  const list = api.operation('cluster_get_bdbs');
  const ours = new Set(api.ids.get('uid') ?? []);
  // Databases that never become active would hold every update operation for the whole ready timeout.
  if (!list || ours.size === 0 || ['bdb', 'bdb-v2'].some((name) => api.neverReady?.(name))) return;
  const deadline = Date.now() + api.readyTimeoutMs;
  while (Date.now() < deadline) {
    const exchange = await api.exchange(list, { path: {}, query: { fields: 'uid,status' }, headers: {} });
    const body = exchange.response?.status === 200 && Array.isArray(exchange.response.json) ? (exchange.response.json as Body[]) : undefined;
    if (!body || !body.some((b) => ours.has(String(b?.uid)) && bdbStates.transitional.includes(b?.status))) return;
    await new Promise((resolve) => setTimeout(resolve, api.pollIntervalMs));
  }
}

/** The BDB rules the schema cannot say, applied to a generated create or update body. */
function prepareBdb(b: Body, create: boolean): void {
  // The cluster numbers databases itself; an explicit uid may be taken (uid_exists).
  if (create) delete b.uid;
  // The cluster picks a free port; a generated one may be reserved or taken (port_unavailable).
  delete b.port;
  // A few hundred MB, which a small cluster can host (insufficient_resources otherwise).
  if (typeof b.memory_size === 'number') b.memory_size = MIB_100 * (1 + (b.memory_size % 5));
  if (typeof b.shards_count === 'number') b.shards_count = 1 + ((b.shards_count - 1) % 3);
  // More than one shard needs sharding, and sharding needs rules; an update that ends sharding goes back to one shard.
  if (b.shards_count > 1) b.sharding = true;
  if (!create && b.sharding === false) b.shards_count = 1;
  // The default rules: a change of the hashing rules would need the flush action.
  if (b.sharding === true || b.shard_key_regex !== undefined) b.shard_key_regex = structuredClone(DEFAULT_SHARD_KEY_REGEX);
  // AOF is a Redis persistence: a memcached database may refuse it (the docs do not say), and an update cannot know
  // the type, so only Redis creates ask for it.
  if (b.data_persistence === 'aof' && (!create || b.type === 'memcached')) b.data_persistence = 'disabled';
  // Snapshot persistence needs a snapshot policy (invalid_data_persistence).
  if (b.data_persistence === 'snapshot' && !(Array.isArray(b.snapshot_policy) && b.snapshot_policy.length > 0)) b.snapshot_policy = [{ secs: 3600, writes: 1 }];
  if (Array.isArray(b.snapshot_policy) && b.snapshot_policy.length === 0) b.snapshot_policy = [{ secs: 3600, writes: 1 }];
  // OSS Cluster API mode needs the 16k hash slots policy and a Redis database; an update cannot know the type.
  if (b.oss_cluster === true && (!create || b.type === 'memcached')) delete b.oss_cluster;
  if (b.oss_cluster === true) b.hash_slots_policy = '16k';
  if (b.hash_slots_policy === 'legacy') b.oss_cluster = false;
  // Tag keys are unique within a database (invalid_bdb_tags).
  if (Array.isArray(b.tags)) b.tags = b.tags.filter((t: Body, i: number, all: Body[]) => all.findIndex((u) => u?.key === t?.key) === i);
}

function isObject(value: unknown): value is Body {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
