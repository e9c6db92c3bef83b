import { request as httpRequest } from 'node:http';
import { startClickHouseServer } from '../../fixtures/clickhouse-cloud/server.ts';
import type { ReferenceServer } from '../../fixtures/common/types.ts';
import { startInMemoryDbServer } from '../../fixtures/ionos-inmemorydb/server.ts';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';
import { startRedisEnterpriseServer } from '../../fixtures/redis-enterprise/server.ts';

export const CREDENTIALS = { username: 'sdk-user', password: 'sdk-password-1', token: 'sdk-bearer-token-0123' };
export const BASIC = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`;
export const BEARER = `Bearer ${CREDENTIALS.token}`;
export const ORG = '3f2f6f0e-8a77-4b4e-9d3c-5f1a2b3c4d5e';
const UNKNOWN = '00000000-0000-4000-8000-000000000001';

/** One of our four reference servers, with a valid create request and the paths the quirk tests need. */
export interface Target {
  provider: string;
  start(): Promise<ReferenceServer>;
  /** The collection path (create and list). */
  collection: string;
  /** A create body that the server accepts, and the documented success status of the create. */
  createBody(): unknown;
  createStatus: number;
  /** A path of an item that does not exist (404). */
  unknownItem: string;
  /** Whether the API documents bearer authentication besides Basic (IONOS: yes; Redis and ClickHouse: Basic only). */
  bearer: boolean;
}

export const TARGETS: Target[] = [
  {
    provider: 'ionos-postgresql',
    start: () => startPostgresServer({ ...CREDENTIALS, readyDelayMs: 50 }),
    collection: '/clusters',
    createBody: () => ({
      properties: {
        postgresVersion: '15',
        instances: 1,
        cores: 1,
        ram: 2048,
        storageSize: 2048,
        storageType: 'SSD',
        connections: [{ datacenterId: '5a029f4a-72e5-41ec-90d6-0242ac120003', lanId: '1', cidr: '10.1.1.1/24' }],
        location: 'de/fra',
        displayName: 'quirks',
        credentials: { username: 'owner', password: 'owner-password-1' },
        synchronizationMode: 'ASYNCHRONOUS',
      },
    }),
    createStatus: 200,
    unknownItem: `/clusters/${UNKNOWN}`,
    bearer: true,
  },
  {
    provider: 'ionos-inmemorydb',
    start: () => startInMemoryDbServer({ ...CREDENTIALS, readyDelayMs: 50 }),
    collection: '/replicasets',
    createBody: () => ({
      properties: {
        displayName: 'quirks',
        version: '7.2',
        replicas: 1,
        resources: { cores: 1, ram: 4 },
        persistenceMode: 'RDB',
        evictionPolicy: 'noeviction',
        connections: [{ datacenterId: '5a029f4a-72e5-41ec-90d6-0242ac120003', lanId: '2', cidr: '192.168.1.100/24' }],
        credentials: { username: 'cacheadmin', password: 'cache-password-1' },
      },
    }),
    createStatus: 201,
    unknownItem: `/replicasets/${UNKNOWN}`,
    bearer: true,
  },
  {
    provider: 'redis-enterprise',
    start: () => startRedisEnterpriseServer({ ...CREDENTIALS, readyDelayMs: 50 }),
    collection: '/v1/bdbs',
    createBody: () => ({ name: `quirks-${Math.random().toString(36).slice(2, 8)}`, memory_size: 104857600 }),
    createStatus: 200,
    unknownItem: '/v1/bdbs/987654',
    bearer: false,
  },
  {
    provider: 'clickhouse-cloud',
    start: () => startClickHouseServer({ ...CREDENTIALS, readyDelayMs: 50, variables: { organizationId: ORG } }),
    collection: `/v1/organizations/${ORG}/services`,
    createBody: () => ({ name: 'quirks', provider: 'aws', region: 'us-east-1' }),
    createStatus: 200,
    unknownItem: `/v1/organizations/${ORG}/services/${UNKNOWN}`,
    bearer: false,
  },
];

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Whether the server sent `100 Continue` before the final answer. */
  continued: boolean;
}

/**
 * A request through node:http with exact control over what goes on the wire: header names in the given case and
 * order (raw pairs), the body in the given chunks (chunked transfer coding unless a Content-Length is given), and
 * with `Expect: 100-continue` the body is held back until the server says continue.
 */
export function raw(url: string, method: string, path: string, headers: [string, string][], chunks: string[] = []): Promise<RawAnswer> {
  const target = new URL(path, url);
  const expectContinue = headers.some(([k, v]) => k.toLowerCase() === 'expect' && v.toLowerCase() === '100-continue');
  return new Promise((resolve, reject) => {
    let continued = false;
    // Raw header pairs keep their case, but then Node adds no Host header of its own.
    const all = headers.some(([k]) => k.toLowerCase() === 'host') ? headers : [['Host', target.host] as [string, string], ...headers];
    const req = httpRequest({ host: target.hostname, port: target.port, method, path: target.pathname + target.search, headers: all.flat(), agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, continued }));
    });
    req.on('error', reject);
    const send = () => {
      for (const chunk of chunks) req.write(chunk);
      req.end();
    };
    if (expectContinue) {
      req.on('continue', () => {
        continued = true;
        send();
      });
      req.flushHeaders();
    } else send();
  });
}
