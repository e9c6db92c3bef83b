import { UsageError } from '../errors.ts';
import { clickhouseCloud } from './clickhouse-cloud.ts';
import { ionosInMemoryDb } from './ionos-inmemorydb.ts';
import { ionosPostgresql } from './ionos-postgresql.ts';
import { redisEnterprise } from './redis-enterprise.ts';
import type { ProviderProfile } from './types.ts';

export const PROVIDERS: readonly ProviderProfile[] = [ionosPostgresql, ionosInMemoryDb, clickhouseCloud, redisEnterprise];

export function providerByName(name: string): ProviderProfile {
  const profile = PROVIDERS.find((p) => p.name === name);
  if (!profile) throw new UsageError(`unknown provider '${name}'`, `choose one of: ${PROVIDERS.map((p) => p.name).join(', ')}`);
  return profile;
}
