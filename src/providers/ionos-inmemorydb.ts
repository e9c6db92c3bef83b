import { fileURLToPath } from 'node:url';
import { IONOS_ERROR_ENVELOPE, IONOS_NAME_FILTER, IONOS_PAGINATION, idOf, markDisplayName, ionosStates, itemIds } from './ionos.ts';
import type { BodyContext, ProviderProfile } from './types.ts';

type Body = Record<string, any>;

/** Connection ranges the service does not offer (the spec leaves them to the profile). */
const EXCLUDED_CIDR = /^10\.(210|21[2-5])\./;
const RESERVED_USERNAMES = ['admin', 'standby'];

/** Cross-field rules of a replica set definition (create and ensure). */
function prepareDefinition(properties: Body | undefined): void {
  if (!properties) return;
  // A snapshot to start from must exist and sit in the connection's datacenter; plain creates reach the lifecycle reliably.
  delete properties.initialSnapshotId;
  for (const connection of (properties.connections ?? []) as Body[]) {
    if (typeof connection.cidr === 'string' && EXCLUDED_CIDR.test(connection.cidr)) connection.cidr = connection.cidr.replace(EXCLUDED_CIDR, '10.1.');
  }
  const credentials = properties.credentials as Body | undefined;
  if (credentials && RESERVED_USERNAMES.includes(String(credentials.username).toLowerCase())) credentials.username = `${credentials.username}-user`;
}

/** Ensure (PUT) names the replica set twice: the body id must be the path id. */
function alignEnsureId(body: Body, context: BodyContext): void {
  if (context.pathParams.replicasetId !== undefined) body.id = context.pathParams.replicasetId;
}

/** IONOS In-Memory DB: replica sets, the snapshots taken of them, and restores of a snapshot into a replica set. */
export const ionosInMemoryDb: ProviderProfile = {
  name: 'ionos-inmemorydb',
  title: 'IONOS In-Memory DB',
  spec: fileURLToPath(new URL('../../specs/ionos-inmemorydb.yaml', import.meta.url)),
  errorEnvelope: IONOS_ERROR_ENVELOPE,
  pagination: IONOS_PAGINATION,
  filters: [IONOS_NAME_FILTER],
  resources: [
    {
      name: 'replicaset',
      create: 'ReplicasetsPost',
      read: 'ReplicasetsFindById',
      delete: 'ReplicasetsDelete',
      list: 'ReplicasetsGet',
      update: ['ReplicasetsPut'],
      upsert: ['ReplicasetsPut'],
      idParam: 'replicasetId',
      idFrom: idOf,
      states: ionosStates(),
      listIds: itemIds,
      // Request metadata is free-form client data; the read's metadata is the server's.
      echoIgnore: ['/metadata'],
      volatile: ['/metadata'],
      markName: markDisplayName,
    },
  ],
  // Restores cannot be deleted, so they are no resource the run could clean up: their ids are found by listing.
  idSources: {
    snapshotId: { operationId: 'SnapshotsGet', ids: itemIds },
    restoreId: { operationId: 'SnapshotsRestoresGet', ids: itemIds },
  },
  prepareBody(body, context) {
    const b = body as Body;
    if (context.operationId === 'ReplicasetsPost') prepareDefinition(b.properties);
    if (context.operationId === 'ReplicasetsPut') {
      prepareDefinition(b.properties);
      alignEnsureId(b, context);
    }
    if (context.operationId === 'SnapshotsRestoresPost' && b.properties) {
      // The restore goes into a replica set that exists.
      const target = context.ids.get('replicasetId')?.[0];
      if (target) b.properties.replicasetId = target;
    }
    return b;
  },
  referenceServer: async (options) => (await import('../../fixtures/ionos-inmemorydb/server.ts')).startInMemoryDbServer(options),
};
