import { fileURLToPath } from 'node:url';
import type { ErrorEnvelope, ProviderProfile } from './types.ts';

type Body = Record<string, any>;

/** ClickHouse Cloud regions by cloud provider: a service's region has to belong to its provider. */
export const CLICKHOUSE_REGIONS: Readonly<Record<'aws' | 'gcp' | 'azure', readonly string[]>> = {
  aws: ['ap-northeast-1', 'ap-northeast-2', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ca-central-1', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'il-central-1', 'us-east-1', 'us-east-2', 'us-west-2'],
  gcp: ['us-east1', 'us-central1', 'europe-west2', 'europe-west4', 'asia-southeast1', 'asia-northeast1'],
  azure: ['eastus', 'eastus2', 'westus3', 'germanywestcentral', 'centralus'],
};

export function providerOfRegion(region: unknown): 'aws' | 'gcp' | 'azure' | undefined {
  return (Object.keys(CLICKHOUSE_REGIONS) as ('aws' | 'gcp' | 'azure')[]).find((p) => CLICKHOUSE_REGIONS[p].includes(String(region)));
}

/** `{status, error, requestId}`, where status repeats the HTTP status. */
const CLICKHOUSE_ERROR_ENVELOPE: ErrorEnvelope = {
  schema: {
    type: 'object',
    required: ['status', 'error'],
    properties: {
      status: { type: 'integer', minimum: 400, maximum: 599 },
      error: { type: 'string' },
      requestId: { type: 'string' },
    },
  },
  rules(body, status) {
    const inBody = (body as { status?: unknown }).status;
    return inBody === status ? [] : [`status ${String(inBody)} in the body differs from the HTTP status ${status}`];
  },
};

const result = (body: unknown): Body | undefined => (body as Body | undefined)?.result;

/** Makes a min/max pair consistent: both present when one is, and min <= max. */
function orderPair(b: Body, min: string, max: string): void {
  if (b[min] === undefined && b[max] === undefined) return;
  b[min] ??= b[max];
  b[max] ??= b[min];
  if (b[min] > b[max]) [b[min], b[max]] = [b[max], b[min]];
}

/**
 * Replica rules. Horizontal autoscaling (minReplicas/maxReplicas) has to be enabled for the organization, and a
 * horizontally scaled service refuses the total-memory scaling of instanceScalingUpdate; the run cannot know either,
 * so generated bodies stay vertical: numReplicas is the fixed replica count, and minReplicas/maxReplicas (which
 * exclude it) are left out.
 */
function verticalReplicas(b: Body): void {
  if (b.autoscalingMode !== undefined) b.autoscalingMode = 'vertical';
  delete b.minReplicas;
  delete b.maxReplicas;
}

/** Service.tags maxItems, and how many distinct keys the run's updates add (so no service passes the maximum). */
const MAX_TAGS = 50;
const TAG_POOL = 10;

/**
 * Every update adds to the same few services, and adds pile up: the keys an update adds come from a pool of
 * TAG_POOL keys (an add of an existing key replaces its value), so creates (at most MAX_TAGS - TAG_POOL tags) plus
 * any number of updates stay within MAX_TAGS.
 */
function boundTagAdds(b: Body): void {
  const tags = b.tags as Body | undefined;
  if (!tags || !Array.isArray(tags.add)) return;
  const seen = new Set<string>();
  tags.add = (tags.add as Body[])
    .map((t, i) => ({ ...t, key: `cf-tag-${(typeof t?.key === 'string' ? [...t.key].reduce((h, c) => h + c.charCodeAt(0), i) : i) % TAG_POOL}` }))
    .filter((t) => !seen.has(t.key) && seen.add(t.key));
}

/** ClickHouse Cloud: the services of one organization, with their backups and metrics. */
export const clickhouseCloud: ProviderProfile = {
  name: 'clickhouse-cloud',
  title: 'ClickHouse Cloud API (organization services)',
  spec: fileURLToPath(new URL('../../specs/clickhouse-cloud.yaml', import.meta.url)),
  errorEnvelope: CLICKHOUSE_ERROR_ENVELOPE,
  variables: ['organizationId'],
  resources: [
    {
      name: 'service',
      create: 'instanceCreate',
      read: 'instanceGet',
      delete: 'instanceDelete',
      list: 'instanceGetList',
      update: ['instanceUpdate', 'instanceStateUpdate', 'instanceScalingUpdate', 'instanceReplicaScalingUpdate', 'instancePasswordUpdate', 'backupConfigurationUpdate'],
      idParam: 'serviceId',
      idFrom: (body) => {
        const id = result(body)?.service?.id;
        return typeof id === 'string' ? id : undefined;
      },
      states: {
        read: (body) => result(body)?.state,
        // Stable states: a stopped or idle service is settled too (waits after a stop end there).
        ready: ['running', 'idle', 'stopped'],
        transitional: ['provisioning', 'starting', 'stopping', 'awaking', 'partially_running'],
        failed: ['failed', 'degraded'],
        deleting: ['terminating', 'terminated', 'softdeleting', 'softdeleted'],
      },
      listIds: (body) => ((result(body) ?? []) as unknown as Body[]).map((s) => s?.id).filter((id): id is string => typeof id === 'string'),
      echoRoot: result,
      // Requested endpoint changes ({protocol, enabled}) read back as the service's endpoint list.
      echoIgnore: ['/endpoints'],
      // The state moves on by itself (provisioning -> running, stopping -> stopped).
      volatile: ['/state'],
      markName: (body, marker) => {
        // Names allow letters, digits and spaces only, up to 50 characters, no space at either end.
        const mark = marker.replace(/[^A-Za-z0-9]+/g, ' ').trim();
        body.name = `${mark} ${String(body.name ?? '')}`.slice(0, 50).trim();
      },
      // ClickHouse deletes only stopped services.
      beforeDelete: { operationId: 'instanceStateUpdate', body: { command: 'stop' }, until: ['stopped'] },
      // A start or stop while the service is still stopping or starting is a state conflict, not a data refusal.
      settleBefore: ['instanceStateUpdate'],
    },
  ],
  idSources: {
    backupId: { operationId: 'backupGetList', ids: (body) => ((result(body) ?? []) as unknown as Body[]).map((b) => b?.id).filter((id): id is string => typeof id === 'string') },
  },
  prepareBody(body, context) {
    const b = body as Body;
    if (b === null || typeof b !== 'object' || Array.isArray(b)) return body;
    switch (context.operationId) {
      case 'instanceCreate': {
        const provider = providerOfRegion(b.region);
        if (provider) b.provider = provider;
        if (b.provider === 'azure' && b.tier === 'development') delete b.tier;
        // These name resources that must already exist (a backup, a data warehouse, a BYOC setup, private endpoints, a KMS key and role).
        for (const field of ['backupId', 'dataWarehouseId', 'byocId', 'privateEndpointIds', 'encryptionKey', 'encryptionAssumedRoleIdentifier']) delete b[field];
        // A read-only service exists only inside a data warehouse.
        if (b.isReadonly === true) delete b.isReadonly;
        verticalReplicas(b);
        orderPair(b, 'minReplicaMemoryGb', 'maxReplicaMemoryGb');
        orderPair(b, 'minTotalMemoryGb', 'maxTotalMemoryGb');
        // Memory settings are "available only for 'production' services", and the run's services take scaling
        // changes later: they are all production services (the docs name no default tier).
        b.tier = 'production';
        // A service holds at most 50 tags (Service.tags maxItems), and updates add more: creates keep room for them.
        if (Array.isArray(b.tags)) b.tags = b.tags.slice(0, MAX_TAGS - TAG_POOL);
        break;
      }
      case 'instanceUpdate':
        delete b.privateEndpointIds;
        delete b.transparentDataEncryptionKeyId;
        boundTagAdds(b);
        break;
      case 'instanceScalingUpdate':
        orderPair(b, 'minTotalMemoryGb', 'maxTotalMemoryGb');
        break;
      case 'instanceReplicaScalingUpdate':
        verticalReplicas(b);
        orderPair(b, 'minReplicaMemoryGb', 'maxReplicaMemoryGb');
        break;
      case 'backupConfigurationUpdate':
        // A daily start time fixes the period at 24 hours; another period clears the start time.
        if (typeof b.backupStartTime === 'string' && typeof b.backupPeriodInHours === 'number' && b.backupPeriodInHours !== 24) b.backupPeriodInHours = 24;
        else if (typeof b.backupPeriodInHours === 'number' && b.backupPeriodInHours !== 24 && b.backupStartTime === undefined) b.backupStartTime = null;
        break;
    }
    return b;
  },
  referenceServer: async (options) => (await import('../../fixtures/clickhouse-cloud/server.ts')).startClickHouseServer(options),
};
