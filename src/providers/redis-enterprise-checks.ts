import type { Check, Exchange } from '../checks/types.ts';
import type { RequestInput } from '../generate/request.ts';
import type { Operation } from '../spec/types.ts';
import * as checks from './redis-enterprise-probe-checks.ts';
import type { ProfileProbeApi } from './types.ts';

type Body = Record<string, any>;

const WRITES = new Set(['post', 'put', 'patch', 'delete']);

/** `fields=a,b` returns only the named fields, on every object of a list or on the one object. */
export const fieldsProjection: Check = {
  id: 'fields-projection',
  description: '`fields` returns only the named fields',
  relevantTo: (operation) => operation.parameters.some((p) => p.in === 'query' && p.name === 'fields'),
  // Not on a deliberately invalid `fields` value: a server may ignore it and return every field (the docs are silent).
  applies: (exchange) => exchange.intent !== 'invalid' && exchange.response?.status === 200 && exchange.response.json !== undefined && new URL(exchange.request.url).searchParams.has('fields'),
  run(exchange) {
    const wanted = new Set(new URL(exchange.request.url).searchParams.get('fields')!.split(',').map((f) => f.trim()).filter(Boolean));
    const body = exchange.response!.json;
    const objects = (Array.isArray(body) ? body : [body]) as Body[];
    const extra = [...new Set(objects.flatMap((o) => Object.keys(o ?? {}).filter((k) => !wanted.has(k))))];
    return extra.length > 0 ? [`fields=${[...wanted].join(',')} also returned ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', ...' : ''}`] : [];
  },
};

const uids = (body: unknown): string[] => (Array.isArray(body) ? body.map((b: Body) => String(b.uid)) : []);

/**
 * Redis semantics that need several requests: `dry_run` changes nothing, an existing uid is refused 409 uid_exists,
 * a change's action can be polled to a terminal status, and a read-only account cannot write.
 */
export async function redisProbe(operation: Operation, api: ProfileProbeApi): Promise<void> {
  const list = api.operation('cluster_get_bdbs');
  const listUids = async () => (list ? uids((await api.exchange(list, { path: {}, query: {}, headers: {} })).response?.json) : []);
  if (operation.id === 'cluster_create_bdb' && list) {
    await dryRunCreate(operation, api, listUids);
    await uidConflict(operation, api);
  }
  if (operation.id === 'cluster_update_bdb') {
    await dryRunUpdate(operation, api);
    await actionCompletes(operation, api);
  }
  if (WRITES.has(operation.method)) await roleEnforcement(operation, api, listUids);
}

async function dryRunCreate(operation: Operation, api: ProfileProbeApi, listUids: () => Promise<string[]>): Promise<void> {
  const input = api.valid(operation);
  if (!input) return;
  delete (input.body as Body).uid;
  input.query = { ...input.query, dry_run: true };
  const before = await listUids();
  const exchange = await api.exchange(operation, input, { note: 'a dry-run create' });
  const after = await listUids();
  const added = after.filter((u) => !before.includes(u));
  api.report(operation, checks.dryRunNoSideEffect, { kind: 'create', added }, exchange);
}

async function dryRunUpdate(operation: Operation, api: ProfileProbeApi): Promise<void> {
  const read = api.operation('cluster_get_bdb');
  const input = api.valid(operation);
  if (!read || !input || input.path.uid === undefined) return;
  input.query = { ...input.query, dry_run: true };
  const get = () => api.exchange(read, { path: { uid: input.path.uid }, query: {}, headers: {} });
  const before = (await get()).response?.json as Body | undefined;
  const exchange = await api.exchange(operation, input, { note: 'a dry-run update' });
  const after = (await get()).response?.json as Body | undefined;
  if (!before || !after) return;
  const changed = Object.keys(input.body as Body).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  api.report(operation, checks.dryRunNoSideEffect, { kind: 'update', changed }, exchange);
}

async function uidConflict(operation: Operation, api: ProfileProbeApi): Promise<void> {
  const existing = api.ids.get('uid')?.[0];
  const input = api.valid(operation);
  if (existing === undefined || !input) return;
  (input.body as Body).uid = Number(existing);
  const exchange = await api.exchange(operation, input, { note: `a create with the existing uid ${existing}` });
  const errorCode = (exchange.response?.json as Body | undefined)?.error_code;
  api.report(operation, checks.uidConflict, { existing, status: exchange.response?.status, ...(typeof errorCode === 'string' ? { errorCode } : {}) }, exchange);
}

async function actionCompletes(operation: Operation, api: ProfileProbeApi): Promise<void> {
  const getAction = api.operation('cluster_get_action');
  const input = api.valid(operation);
  if (!getAction || !input || input.path.uid === undefined) return;
  const update = await waitUntilAccepted(operation, input, api);
  const actionUid = (update?.response?.json as Body | undefined)?.action_uid;
  if (!update || actionUid === undefined) return;
  const deadline = Date.now() + api.readyTimeoutMs;
  let last: Exchange | undefined;
  let status: string | undefined;
  while (Date.now() < deadline) {
    last = await api.exchange(getAction, { path: { action_uid: String(actionUid) }, query: {}, headers: {} });
    status = (last.response?.json as Body | undefined)?.status;
    if (status && checks.TERMINAL_ACTION.includes(status)) break;
    await new Promise((r) => setTimeout(r, api.pollIntervalMs));
  }
  api.report(getAction, checks.actionCompletes, { actionUid: String(actionUid), status, httpStatus: last?.response?.status, readyTimeoutMs: api.readyTimeoutMs }, last);
}

/** Sends an update, waiting out 409 busy answers of earlier changes, as the docs tell clients to. */
async function waitUntilAccepted(operation: Operation, input: RequestInput, api: ProfileProbeApi): Promise<Exchange | undefined> {
  // Databases that never become active stay busy (409): no update is waited out for them.
  const deadline = ['bdb', 'bdb-v2'].some((name) => api.neverReady?.(name)) ? 0 : Date.now() + api.readyTimeoutMs;
  while (Date.now() < deadline) {
    const exchange = await api.exchange(operation, input);
    if (exchange.response?.status !== 409) return exchange.response && exchange.response.status < 300 ? exchange : undefined;
    await new Promise((r) => setTimeout(r, api.pollIntervalMs));
  }
  return undefined;
}

/** With the read-only account (the profile's `viewer` extra account), writes are refused and change nothing. */
async function roleEnforcement(operation: Operation, api: ProfileProbeApi, listUids: () => Promise<string[]>): Promise<void> {
  const authorization = api.account('viewer');
  const input = api.valid(operation);
  if (!authorization || !input) return;
  const before = await listUids();
  const exchange = await api.exchange(operation, input, { authorization, note: 'a write by a read-only account' });
  const status = exchange.response?.status ?? 0;
  const after = await listUids();
  // Only what this write could have done counts: a database appeared, or the one it addressed went away.
  // (Others may vanish meanwhile: the run's own earlier deletes complete asynchronously.)
  const added = after.filter((u) => !before.includes(u));
  const target = input.path.uid === undefined ? undefined : String(input.path.uid);
  const removed = target !== undefined && before.includes(target) && !after.includes(target);
  api.report(operation, checks.roleEnforcement, { method: operation.method, status, added, ...(removed ? { removed: target } : {}) }, exchange);
}
