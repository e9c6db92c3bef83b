import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, isLoopbackLiteral, resolvesToLoopback } from '../../src/run/locality.ts';
import { prepareRun } from '../../src/run/orchestrate.ts';
import { providerByName } from '../../src/providers/registry.ts';

type Lookup = Parameters<typeof resolvesToLoopback>[1];
const resolver = (table: Record<string, string[]>): Lookup =>
  (async (host: string) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }) as unknown as Lookup;

describe('"on this machine"', () => {
  it('is decided on addresses: 127.0.0.0/8, ::1 and mapped 127.x are loopback, nothing else', () => {
    for (const a of ['127.0.0.1', '127.12.0.9', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ['10.0.0.1', '0.0.0.0', '::', '128.0.0.1', '::ffff:10.0.0.1', '127.example.invalid', 'localhost']) expect(isLoopbackAddress(a), a).toBe(false);
    expect(isLoopbackLiteral('http://127.0.0.1:8080/x')).toBe(true);
    expect(isLoopbackLiteral('https://127.example.invalid/x')).toBe(false);
    expect(isLoopbackLiteral('https://127.0.0.1.nip.example/x')).toBe(false);
  });

  it('a name is local only when every address it resolves to is loopback', async () => {
    const lookup = resolver({ localhost: ['127.0.0.1', '::1'], 'mixed.test': ['127.0.0.1', '10.1.2.3'], 'remote.test': ['93.184.216.34'], '127.example.invalid': ['93.184.216.34'] });
    expect(await resolvesToLoopback('http://localhost:1/x', lookup)).toBe(true);
    expect(await resolvesToLoopback('http://mixed.test/x', lookup)).toBe(false);
    expect(await resolvesToLoopback('http://remote.test/x', lookup)).toBe(false);
    expect(await resolvesToLoopback('https://127.example.invalid/x', lookup)).toBe(false);
    expect(await resolvesToLoopback('http://unknown.test/x', lookup)).toBe(false);
    expect(await resolvesToLoopback('http://[::1]:8080/x', lookup)).toBe(true);
  });

  it('a target whose name merely starts with 127. is planned read-only with a resource cap, and full mode needs --allow-writes', async () => {
    const base = { profile: providerByName('ionos-postgresql'), examples: 1, seed: 1, variables: {}, reportDir: '.', env: { CONFORMANCE_TOKEN: 'token-for-a-plan' }, dryPlan: true };
    const { config } = await prepareRun({ ...base, target: 'https://127.example.invalid/x' });
    expect(config.mode).toBe('read-only');
    expect(config.maxResources).toBe(3);
    await expect(prepareRun({ ...base, target: 'https://127.example.invalid/x', mode: 'full' })).rejects.toThrow(/--mode full against 127\.example\.invalid would create/);
    const local = await prepareRun({ ...base, target: 'http://127.0.0.1:9/x' });
    expect(local.config.mode).toBe('full');
  });
});
