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

/** The run's credentials beyond Authorization: -H headers, and an API key from the spec's securitySchemes. */
export interface ExtraCredentials {
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** Which of them carry credentials (default: those whose names look like it). */
  credentialHeaders?: string[];
  /** Query parameters that carry credentials (an API key in the query). */
  credentialQuery?: Record<string, string>;
}

/**
 * The credentials of a request as an auth probe wants them: `null` none (no Authorization, no credential header or
 * query parameter), a string that Authorization header with every other credential sent wrong, undefined unchanged.
 */
export function overrideCredentials(request: { url: string; headers: Record<string, string> }, extra: ExtraCredentials, authorization: string | null | undefined): void {
  if (authorization === undefined) return;
  const { headers } = request;
  if (authorization === null) delete headers.authorization;
  else headers.authorization = authorization;
  const names = extra.credentialHeaders ?? Object.keys(extra.headers ?? {}).filter(isCredentialHeader);
  for (const name of names) {
    if (name === 'authorization') continue;
    if (authorization === null) delete headers[name];
    else headers[name] = name === 'cookie' ? (headers.cookie ?? '').replace(/=.*$/, `=${WRONG_CREDENTIAL}`) : WRONG_CREDENTIAL;
  }
  if (extra.credentialQuery && Object.keys(extra.credentialQuery).length > 0) {
    const url = new URL(request.url);
    for (const name of Object.keys(extra.credentialQuery)) {
      if (authorization === null) url.searchParams.delete(name);
      else url.searchParams.set(name, WRONG_CREDENTIAL);
    }
    request.url = url.href;
  }
}

/** A URL with the credential query parameters added. */
export function withCredentialQuery(url: string, query: Record<string, string> | undefined): string {
  if (!query || Object.keys(query).length === 0) return url;
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(query)) parsed.searchParams.set(name, value);
  return parsed.href;
}
