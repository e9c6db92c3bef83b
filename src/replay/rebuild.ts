import { randomBytes, randomInt } from 'node:crypto';
import fc from 'fast-check';
import { allStrings } from '../checks/write-only.ts';
import { UsageError } from '../errors.ts';
import { invalidCases } from '../generate/invalid.ts';
import type { RequestInput } from '../generate/request.ts';
import { mergeSchemas, schemaArbitrary } from '../generate/schema-arbitrary.ts';
import { parseJson } from '../report/failure-groups.ts';
import type { FailureRecord } from '../report/model.ts';
import { REDACTED } from '../http/redact.ts';
import type { ExtraAccount } from '../providers/types.ts';
import { accountInCurl } from '../run/accounts.ts';
import type { JsonSchema, Operation } from '../spec/types.ts';

/** Which credentials the replayed request carries, as the curl line of the original says. */
export type ReplayAuthorization = { kind: 'run' } | { kind: 'none' } | { kind: 'account'; name: string } | { kind: 'as-recorded'; value: string };

export interface RebuiltRequest {
  method: string;
  /** The path and query below the target, as recorded. */
  pathAndQuery: string;
  /** Recorded headers without Authorization and without redacted ones. */
  headers: Record<string, string>;
  body?: string;
  input: RequestInput;
  authorization: ReplayAuthorization;
  /** Where a redacted value was replaced by a fresh random one (JSON pointers into the body, or "url"). */
  substituted: string[];
  /** The fresh values, so that they can be redacted in turn. */
  freshValues: string[];
  droppedHeaders: string[];
  /** Set when a broken constraint was re-applied to a fresh value (negative-data-rejection on a secret field). */
  reapplied?: string;
}

/**
 * The recorded request of a failure, ready to be sent to another target: the path below the original target, the
 * recorded headers minus redacted ones, and the body with each redacted value replaced by a fresh value that
 * validates against the field's schema (a random string where the schema says nothing).
 */
export function rebuildRequest(failure: FailureRecord, operation: Operation, originalTarget: string | undefined, accounts?: readonly ExtraAccount[]): RebuiltRequest {
  // The constraint an invalid request broke, as the run recorded it (schema 1.4), never read from the message.
  const constraint = failure.intent === 'invalid' ? failure.constraint : undefined;
  const substituted: string[] = [];
  const freshValues: string[] = [];
  const token = () => {
    const value = randomBytes(12).toString('base64url');
    freshValues.push(value);
    return value;
  };
  let rawUrl = failure.request.url;
  if (rawUrl.includes(REDACTED)) {
    rawUrl = rawUrl.replaceAll(REDACTED, () => token());
    substituted.push('url');
  }
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new UsageError(`the failure's recorded request has no usable URL ('${failure.request.url}')`, 'replay a failure of a report written by conformance run');
  }
  const input: RequestInput = { path: {}, query: {}, headers: {} };
  const pathBelow = pathBelowTarget(url, operation, originalTarget, input);
  for (const [name, value] of url.searchParams) {
    const current = input.query[name];
    input.query[name] = current === undefined ? value : Array.isArray(current) ? [...current, value] : [current, value];
  }
  const headers: Record<string, string> = {};
  const droppedHeaders: string[] = [];
  let recordedAuthorization = false;
  for (const [name, value] of Object.entries(failure.request.headers)) {
    if (name.toLowerCase() === 'authorization') recordedAuthorization = true;
    else if (value.includes(REDACTED)) droppedHeaders.push(name);
    else headers[name] = value;
  }
  const authorization: ReplayAuthorization = recordedAuthorization ? authorizationFromCurl(failure.curl, accounts) : { kind: 'none' };
  let body = failure.request.body;
  let reapplied: string | undefined;
  if (body !== undefined) {
    const parsed = parseJson(body);
    if (body.includes(REDACTED) && parsed.ok) {
      let value = freshen(parsed.value, operation.body?.schema, '', substituted, freshValues, token);
      if (constraint) {
        // A broken value in a secret field was redacted: break the fresh value the same way.
        const broken = substituted.find((pointer) => constraint.startsWith(`body${pointer} `));
        const again = broken && invalidCases(operation, { ...input, body: value }).find((c) => c.description === constraint && c.rawBody === undefined);
        if (again) {
          value = again.input.body;
          reapplied = constraint;
        }
      }
      body = JSON.stringify(value);
      input.body = value;
    } else if (body.includes(REDACTED)) {
      body = body.replaceAll(REDACTED, () => token());
      substituted.push('body');
      input.body = body;
    } else input.body = parsed.ok ? parsed.value : body;
  }
  return { method: failure.request.method.toUpperCase(), pathAndQuery: pathBelow + url.search, headers, ...(body !== undefined ? { body } : {}), input, authorization, substituted, freshValues, droppedHeaders, ...(reapplied ? { reapplied } : {}) };
}

/** The path below the target: the operation's path template matched at the end of the URL's path. */
function pathBelowTarget(url: URL, operation: Operation, originalTarget: string | undefined, input: RequestInput): string {
  const names: string[] = [];
  const pattern = operation.path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const param = /^\{([^}]+)\}$/.exec(part);
      if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      return '([^/]+)';
    })
    .join('');
  const match = new RegExp(`${pattern}$`).exec(url.pathname);
  if (match) {
    names.forEach((name, i) => (input.path[name] = safeDecode(match[i + 1]!)));
    return url.pathname.slice(match.index);
  }
  const base = originalTarget ? safePathname(originalTarget).replace(/\/+$/, '') : '';
  return base && url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname;
}

/** Splits a curl line into its arguments (single quotes with '\'' escapes, double quotes kept literal). */
export function curlArguments(curl: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArg = false;
  for (let i = 0; i < curl.length; i++) {
    const ch = curl[i]!;
    if (ch === "'") {
      const end = curl.indexOf("'", i + 1);
      current += curl.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? curl.length : end;
      inArg = true;
    } else if (ch === '"') {
      const end = curl.indexOf('"', i + 1);
      current += curl.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? curl.length : end;
      inArg = true;
    } else if (ch === '\\' && i + 1 < curl.length) {
      current += curl[++i];
      inArg = true;
    } else if (/\s/.test(ch)) {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
    } else {
      current += ch;
      inArg = true;
    }
  }
  if (inArg) args.push(current);
  return args;
}

/** Real credentials appear in curl lines as environment variables (an extra account's by its prefix); deliberately wrong ones as sent. */
function authorizationFromCurl(curl: string, accounts: readonly ExtraAccount[] | undefined): ReplayAuthorization {
  const args = curlArguments(curl);
  for (let i = 0; i < args.length - 1; i++) {
    const next = args[i + 1]!;
    const account = accountInCurl(next, accounts);
    if (args[i] === '-u') return account ? { kind: 'account', name: account.name } : { kind: 'run' };
    if (args[i] === '-H' && /^authorization:/i.test(next)) {
      const value = next.slice(next.indexOf(':') + 1).trim();
      if (account) return { kind: 'account', name: account.name };
      if (value.includes('$CONFORMANCE_')) return { kind: 'run' };
      return { kind: 'as-recorded', value };
    }
  }
  return { kind: 'run' };
}

/** A copy of a JSON value with every redacted value replaced by a fresh one that fits the schema there. */
function freshen(value: unknown, schema: JsonSchema | undefined, pointer: string, substituted: string[], freshValues: string[], token: () => string): unknown {
  if (value === REDACTED) {
    substituted.push(pointer || '/');
    const fresh = generate(schema) ?? token();
    freshValues.push(...allStrings(fresh));
    return fresh;
  }
  if (typeof value === 'string' && value.includes(REDACTED)) {
    substituted.push(pointer || '/');
    return value.replaceAll(REDACTED, () => token());
  }
  if (Array.isArray(value)) return value.map((v, i) => freshen(v, childSchema(schema, i), `${pointer}/${i}`, substituted, freshValues, token));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, freshen(v, childSchema(schema, k), `${pointer}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`, substituted, freshValues, token)]));
  }
  return value;
}

function generate(schema: JsonSchema | undefined): unknown {
  if (!schema || Object.keys(schema).length === 0) return undefined;
  try {
    const [value] = fc.sample(schemaArbitrary(schema, { direction: 'request' }), { numRuns: 1, seed: randomInt(2 ** 31) });
    return value === undefined || value === null || (typeof value === 'string' && value.length < 4) ? undefined : value;
  } catch {
    return undefined;
  }
}

function childSchema(schema: JsonSchema | undefined, key: string | number): JsonSchema | undefined {
  if (!schema) return undefined;
  let s = schema;
  try {
    if (Array.isArray(schema.allOf)) s = mergeSchemas(schema);
  } catch {
    // an allOf that does not merge: look at the schema as it is
  }
  if (typeof key === 'number' && isObject(s.items)) return s.items;
  if (typeof key === 'string') {
    const properties = s.properties as Record<string, JsonSchema> | undefined;
    if (properties?.[key]) return properties[key];
    if (isObject(s.additionalProperties)) return s.additionalProperties;
  }
  for (const alternative of [...((s.oneOf as JsonSchema[] | undefined) ?? []), ...((s.anyOf as JsonSchema[] | undefined) ?? [])]) {
    const found = childSchema(alternative, key);
    if (found) return found;
  }
  return undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function safePathname(target: string): string {
  try {
    return new URL(target).pathname;
  } catch {
    return '';
  }
}

function isObject(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
