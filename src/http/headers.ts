import { UsageError } from '../errors.ts';

/** Header names whose values are credentials: redacted wherever they would appear (reports, logs, curl lines). */
const CREDENTIAL_NAME = /^(authorization|proxy-authorization|cookie)$|token|secret|key|session|auth|password|credential|signature/i;

export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

/** `-H/--header 'Name: value'` (repeatable): lower-cased names to values; a later header of the same name wins. */
export function parseHeaders(entries: readonly string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of entries ?? []) {
    const colon = entry.indexOf(':');
    const name = colon > 0 ? entry.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`--header '${entry.length > 40 ? `${entry.slice(0, 40)}...` : entry}' is not 'Name: value'`, "for example -H 'X-Request-Source: ci'");
    headers[name.toLowerCase()] = entry.slice(colon + 1).trim();
  }
  return headers;
}

/** What the auth probes send instead of a credential header's value. */
export const WRONG_CREDENTIAL = 'conformance-wrong-credential-0000';

/**
 * The credentials of a request as an auth probe wants them: `null` none (no Authorization, no credential-like -H
 * header), a string that Authorization header with every credential-like -H header wrong, undefined unchanged.
 */
export function overrideCredentials(headers: Record<string, string>, extra: Record<string, string> | undefined, authorization: string | null | undefined): void {
  if (authorization === undefined) return;
  if (authorization === null) delete headers.authorization;
  else headers.authorization = authorization;
  for (const name of Object.keys(extra ?? {})) {
    if (name === 'authorization' || !isCredentialHeader(name)) continue;
    if (authorization === null) delete headers[name];
    else headers[name] = WRONG_CREDENTIAL;
  }
}
