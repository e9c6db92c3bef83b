import { defineProviderSuite } from './support.ts';

await defineProviderSuite('ionos-inmemorydb');
