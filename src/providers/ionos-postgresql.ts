import { fileURLToPath } from 'node:url';
import { IONOS_ERROR_ENVELOPE, IONOS_NAME_FILTER, IONOS_PAGINATION, idOf, markDisplayName, ionosStates, itemIds } from './ionos.ts';
import type { ProviderProfile } from './types.ts';
import { logsLimitAndDirection } from './ionos-postgresql-checks.ts';

type Body = Record<string, any>;

/** IONOS DBaaS PostgreSQL: clusters with users and databases below them. */
export const ionosPostgresql: ProviderProfile = {
  name: 'ionos-postgresql',
  title: 'IONOS DBaaS PostgreSQL',
  spec: fileURLToPath(new URL('../../specs/ionos-postgresql.yaml', import.meta.url)),
  errorEnvelope: IONOS_ERROR_ENVELOPE,
  pagination: IONOS_PAGINATION,
  filters: [IONOS_NAME_FILTER],
  checks: [logsLimitAndDirection],
  resources: [
    {
      name: 'cluster',
      create: 'clustersPost',
      read: 'clustersFindById',
      delete: 'clustersDelete',
      list: 'clustersGet',
      update: ['clustersPatch'],
      idParam: 'clusterId',
      idFrom: idOf,
      states: ionosStates(),
      listIds: itemIds,
      volatile: ['/metadata'],
      markName: markDisplayName,
    },
    {
      name: 'user',
      create: 'usersPost',
      read: 'usersGet',
      delete: 'usersDelete',
      list: 'usersList',
      update: ['usersPatch'],
      idParam: 'username',
      idFrom: (body) => (body as Body | undefined)?.properties?.username,
      markName: (body, marker) => {
        const props = (body.properties ??= {}) as Body;
        props.username = `${marker}-${String(props.username ?? '')}`.slice(0, 63);
      },
      listIds: (body) => ((body as Body | undefined)?.items ?? []).map((i: Body) => i.properties?.username),
    },
    {
      name: 'database',
      create: 'databasesPost',
      read: 'databasesGet',
      delete: 'databasesDelete',
      list: 'databasesList',
      idParam: 'databasename',
      idFrom: (body) => (body as Body | undefined)?.properties?.name,
      markName: (body, marker) => {
        const props = (body.properties ??= {}) as Body;
        props.name = `${marker}-${String(props.name ?? '')}`.slice(0, 63);
      },
      listIds: (body) => ((body as Body | undefined)?.items ?? []).map((i: Body) => i.properties?.name),
      // Its owner is one of the run's users.
      refersTo: ['user'],
    },
  ],
  idSources: {
    backupId: { operationId: 'clustersBackupsGet', ids: itemIds },
  },
  prepareQuery(query, context) {
    if (context.operationId === 'clusterLogsGet' && (query.start !== undefined || query.end !== undefined)) {
      // The window must be ordered, at most 30 days back and not in the future.
      const now = Date.now();
      if (query.start !== undefined) query.start = new Date(now - 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      if (query.end !== undefined) query.end = new Date(now - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    return query;
  },
  prepareBody(body, context) {
    const b = body as Body;
    if (context.operationId === 'clustersPost' && b.properties) {
      // A create from a backup needs a backup that exists; plain creates reach the lifecycle reliably.
      delete b.properties.fromBackup;
    }
    if (context.operationId === 'clusterRestorePost') {
      const backups = context.ids.get('backupId');
      const own = backups?.find((id) => id.startsWith(context.pathParams.clusterId ?? '\0')) ?? backups?.[0];
      if (own) b.backupId = own;
      delete b.recoveryTargetTime;
    }
    if (context.operationId === 'databasesPost' && b.properties) {
      // The owner must be an existing role of the same cluster.
      const users = context.idsWithin?.('username') ?? context.ids.get('username');
      if (users?.length) b.properties.owner = users[0];
    }
    return b;
  },
  referenceServer: async (options) => (await import('../../fixtures/ionos-postgresql/server.ts')).startPostgresServer(options),
};
