import { authorizationHeader, type Credentials } from '../http/auth.ts';
import type { Redactor } from '../http/redact.ts';
import type { ExtraAccount, ProviderProfile } from '../providers/types.ts';

/** The curl arguments that rebuild an account's Authorization header from its environment variables. */
export function accountCurlArguments(account: ExtraAccount): string {
  return `-u "$${account.envPrefix}_USERNAME:$${account.envPrefix}_PASSWORD"`;
}

/**
 * The profile's other accounts (ProviderProfile.extraAccounts), from `<envPrefix>_USERNAME/_PASSWORD` or else the
 * reference server's variables. Each one found is registered with the redactor: its password is a secret, and curl
 * lines rebuild its Authorization header from the environment. An account without both values is left out.
 */
export function resolveAccounts(profile: ProviderProfile, variables: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv, redactor: Redactor): Record<string, Credentials> {
  const accounts: Record<string, Credentials> = {};
  for (const account of profile.extraAccounts ?? []) {
    const username = env[`${account.envPrefix}_USERNAME`] ?? (account.variables && variables[account.variables.username]);
    const password = env[`${account.envPrefix}_PASSWORD`] ?? (account.variables && variables[account.variables.password]);
    if (!username || !password) continue;
    const credentials: Credentials = { kind: 'basic', username, password };
    redactor.addSecret(password);
    redactor.addAuthorization(authorizationHeader(credentials)!, accountCurlArguments(account));
    accounts[account.name] = credentials;
  }
  return accounts;
}

/** The extra account whose environment variables a curl argument names (`$<envPrefix>_USERNAME`), if any. */
export function accountInCurl(argument: string, accounts: readonly ExtraAccount[] | undefined): ExtraAccount | undefined {
  return accounts?.find((account) => argument.includes(`$${account.envPrefix}_`));
}
