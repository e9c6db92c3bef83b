import { defineProviderSuite } from './support.ts';

await defineProviderSuite('redis-enterprise');
