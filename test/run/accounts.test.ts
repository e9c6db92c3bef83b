import { describe, expect, it } from 'vitest';
import { curlCommand } from '../../src/http/curl.ts';
import { Redactor } from '../../src/http/redact.ts';
import { redisEnterprise } from '../../src/providers/redis-enterprise.ts';
import type { ProviderProfile } from '../../src/providers/types.ts';
import { accountInCurl, resolveAccounts } from '../../src/run/accounts.ts';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const profile: ProviderProfile = { ...redisEnterprise, extraAccounts: [{ name: 'auditor', envPrefix: 'CONFORMANCE_AUDITOR', variables: { username: 'auditorUser', password: 'auditorPass' }, description: 'the auditing account' }] };

describe('extra accounts (ProviderProfile.extraAccounts)', () => {
  it('come from <envPrefix>_USERNAME/_PASSWORD before the reference server variables, and are redacted with curl placeholders', () => {
    const redactor = new Redactor();
    const accounts = resolveAccounts(profile, { auditorUser: 'server-user', auditorPass: 'server-pass-123' }, { CONFORMANCE_AUDITOR_USERNAME: 'env-user', CONFORMANCE_AUDITOR_PASSWORD: 'env-secret-4567' }, redactor);
    expect(accounts).toEqual({ auditor: { kind: 'basic', username: 'env-user', password: 'env-secret-4567' } });
    const header = basic('env-user', 'env-secret-4567');
    const curl = curlCommand({ method: 'GET', url: 'http://127.0.0.1:1/x', headers: { authorization: header } }, redactor);
    expect(curl).toContain('-u "$CONFORMANCE_AUDITOR_USERNAME:$CONFORMANCE_AUDITOR_PASSWORD"');
    expect(curl).not.toContain(header);
    expect(redactor.text('the password is env-secret-4567')).not.toContain('env-secret-4567');
  });

  it('fall back to the reference server variables, and are left out when either value is missing', () => {
    const redactor = new Redactor();
    expect(resolveAccounts(profile, { auditorUser: 'server-user', auditorPass: 'server-pass-123' }, {}, redactor)).toEqual({ auditor: { kind: 'basic', username: 'server-user', password: 'server-pass-123' } });
    expect(redactor.text('server-pass-123')).not.toContain('server-pass-123');
    expect(resolveAccounts(profile, { auditorUser: 'server-user' }, {}, new Redactor())).toEqual({});
    expect(resolveAccounts(profile, {}, { CONFORMANCE_AUDITOR_USERNAME: 'only-user' }, new Redactor())).toEqual({});
    expect(resolveAccounts({ ...profile, extraAccounts: undefined }, { auditorUser: 'u', auditorPass: 'p-12345' }, {}, new Redactor())).toEqual({});
  });

  it('the Redis profile declares its read-only viewer, found again from a curl placeholder', () => {
    expect(redisEnterprise.extraAccounts?.map((a) => a.name)).toEqual(['viewer']);
    expect(accountInCurl('$CONFORMANCE_VIEWER_USERNAME:$CONFORMANCE_VIEWER_PASSWORD', redisEnterprise.extraAccounts)?.name).toBe('viewer');
    expect(accountInCurl('$CONFORMANCE_USERNAME:$CONFORMANCE_PASSWORD', redisEnterprise.extraAccounts)).toBeUndefined();
    expect(accountInCurl('$CONFORMANCE_VIEWER_USERNAME:$CONFORMANCE_VIEWER_PASSWORD', undefined)).toBeUndefined();
  });
});
