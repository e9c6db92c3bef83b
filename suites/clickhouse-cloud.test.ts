import { defineProviderSuite } from './support.ts';

await defineProviderSuite('clickhouse-cloud');
