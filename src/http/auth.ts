import { UsageError } from '../errors.ts';

export type Credentials =
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'none' };

/** Reads credentials from CONFORMANCE_TOKEN, or CONFORMANCE_USERNAME and CONFORMANCE_PASSWORD. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv, prefix = 'CONFORMANCE'): Credentials {
  const token = env[`${prefix}_TOKEN`];
  if (token) return { kind: 'bearer', token };
  const username = env[`${prefix}_USERNAME`];
  const password = env[`${prefix}_PASSWORD`];
  if (username !== undefined && password !== undefined) return { kind: 'basic', username, password };
  if (username !== undefined || password !== undefined) {
    throw new UsageError(`only one of ${prefix}_USERNAME and ${prefix}_PASSWORD is set`, 'set both, or set CONFORMANCE_TOKEN instead');
  }
  return { kind: 'none' };
}

export function authorizationHeader(credentials: Credentials): string | undefined {
  if (credentials.kind === 'bearer') return `Bearer ${credentials.token}`;
  if (credentials.kind === 'basic') return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  return undefined;
}

/** The secret strings of a credential set, so that redaction can remove them wherever they appear. */
export function secretValues(credentials: Credentials): string[] {
  const header = authorizationHeader(credentials);
  if (credentials.kind === 'bearer') return [credentials.token, header!];
  if (credentials.kind === 'basic') return [credentials.password, header!, Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')];
  return [];
}
