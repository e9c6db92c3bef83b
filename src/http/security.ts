import { UsageError, errorMessage } from '../errors.ts';
import type { ApiSpec, SecurityScheme } from '../spec/types.ts';
import type { HttpClient } from './client.ts';

/** Credentials a spec's API-key or OAuth2 scheme asks for, as the requests carry them. */
export interface SchemeCredentials {
  /** Which scheme of components.securitySchemes they satisfy. */
  scheme: string;
  /** Headers (an API key in a header or a cookie). */
  headers: Record<string, string>;
  /** Query parameters (an API key in the query). */
  query: Record<string, string>;
  /** An OAuth2 access token, sent as a bearer token. */
  token?: string;
  /** Values to redact everywhere. */
  secrets: string[];
}

type Scheme = SecurityScheme & { flows?: { clientCredentials?: { tokenUrl?: string; scopes?: Record<string, string> } } };

/**
 * Credentials from the spec's securitySchemes for the schemes its operations require, when the environment has them
 * (tried after CONFORMANCE_TOKEN and CONFORMANCE_USERNAME/PASSWORD, which serve the http schemes):
 *
 * - apiKey (in header, query or cookie): CONFORMANCE_API_KEY;
 * - oauth2 with a clientCredentials flow: CONFORMANCE_CLIENT_ID and CONFORMANCE_CLIENT_SECRET (optional
 *   CONFORMANCE_OAUTH_SCOPES, space-separated; default: every scope the flow lists). The token comes from the
 *   flow's tokenUrl (relative to the target when relative), client authentication by HTTP Basic (RFC 6749 2.3.1),
 *   then in the body if the server refuses that.
 */
export async function schemeCredentials(spec: ApiSpec, env: NodeJS.ProcessEnv, target: string, client: Pick<HttpClient, 'send'>): Promise<SchemeCredentials | undefined> {
  const required = new Set(spec.operations.flatMap((op) => op.security.flatMap((requirement) => Object.keys(requirement))));
  for (const name of required) {
    const scheme = spec.securitySchemes[name] as Scheme | undefined;
    if (!scheme) continue;
    if (scheme.type === 'apiKey' && env.CONFORMANCE_API_KEY) {
      const key = env.CONFORMANCE_API_KEY;
      const keyName = scheme.name ?? '';
      if (!keyName) throw new UsageError(`security scheme ${name} is an apiKey without a name`, 'give it name: and in: in the spec');
      const where = scheme.in ?? 'header';
      if (where === 'header') return { scheme: name, headers: { [keyName.toLowerCase()]: key }, query: {}, secrets: [key] };
      if (where === 'cookie') return { scheme: name, headers: { cookie: `${keyName}=${key}` }, query: {}, secrets: [key, `${keyName}=${key}`] };
      if (where === 'query') return { scheme: name, headers: {}, query: { [keyName]: key }, secrets: [key, encodeURIComponent(key)] };
      throw new UsageError(`security scheme ${name}: apiKey in '${where}'`, 'in must be header, query or cookie');
    }
    const flow = scheme.type === 'oauth2' ? scheme.flows?.clientCredentials : undefined;
    if (flow?.tokenUrl && env.CONFORMANCE_CLIENT_ID && env.CONFORMANCE_CLIENT_SECRET) {
      const scopes = env.CONFORMANCE_OAUTH_SCOPES ?? Object.keys(flow.scopes ?? {}).join(' ');
      const token = await clientCredentialsToken(new URL(flow.tokenUrl, target.endsWith('/') ? target : `${target}/`).href, env.CONFORMANCE_CLIENT_ID, env.CONFORMANCE_CLIENT_SECRET, scopes, client);
      return { scheme: name, headers: {}, query: {}, token, secrets: [token, env.CONFORMANCE_CLIENT_SECRET] };
    }
  }
  return undefined;
}

/** The OAuth2 client-credentials grant (RFC 6749 4.4): an access token, or a UsageError saying what went wrong. */
export async function clientCredentialsToken(tokenUrl: string, clientId: string, clientSecret: string, scopes: string, client: Pick<HttpClient, 'send'>): Promise<string> {
  const form = (extra: Record<string, string>) => new URLSearchParams({ grant_type: 'client_credentials', ...(scopes ? { scope: scopes } : {}), ...extra }).toString();
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
  const attempts: { headers: Record<string, string>; body: string }[] = [
    { headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: basic }, body: form({}) },
    { headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form({ client_id: clientId, client_secret: clientSecret }) },
  ];
  let last = '';
  for (const attempt of attempts) {
    let response;
    try {
      response = await client.send({ method: 'POST', url: tokenUrl, ...attempt });
    } catch (error) {
      throw new UsageError(`cannot reach the OAuth2 token endpoint ${tokenUrl}: ${errorMessage(error)}`, 'check the tokenUrl of the clientCredentials flow');
    }
    const token = (response.json as { access_token?: unknown } | undefined)?.access_token;
    if (response.status === 200 && typeof token === 'string' && token) return token;
    last = `${response.status}${typeof (response.json as { error?: unknown })?.error === 'string' ? ` ${(response.json as { error: string }).error}` : ''}`;
    if (response.status !== 400 && response.status !== 401) break;
  }
  throw new UsageError(`the OAuth2 token endpoint ${tokenUrl} gave no access token (${last})`, 'check CONFORMANCE_CLIENT_ID, CONFORMANCE_CLIENT_SECRET and CONFORMANCE_OAUTH_SCOPES');
}
