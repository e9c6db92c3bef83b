import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../../fixtures/common/types.ts';
import { contentTypeConformance } from '../../src/checks/content-type-conformance.ts';
import { responseSchemaConformance } from '../../src/checks/response-schema-conformance.ts';
import { statusCodeConformance } from '../../src/checks/status-code-conformance.ts';
import { providerByName } from '../../src/providers/registry.ts';
import { loadSpec } from '../../src/spec/load.ts';
import type { Operation } from '../../src/spec/types.ts';
import { context, exchange, response } from '../helpers.ts';
import { BASIC, BEARER, raw, TARGETS, type RawAnswer } from './targets.ts';

type Body = Record<string, any>;

/** One request of a flow, as an SDK sends it, and the documented answer. */
interface Step {
  name: string;
  /** The spec operation the answer is checked against (status, Content-Type, schema); none for calls outside the spec. */
  operationId?: string;
  method: string;
  /** With `{name}` placeholders for values saved by earlier steps. */
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  expect: number;
  /** Values to keep for later steps: name to JSON pointer into the answer. */
  save?: Record<string, string>;
  /** Repeat the request until the pointer holds the value, or until the status comes back. */
  until?: { pointer: string; equals: string } | { status: number };
  /** The answer lists an item whose id (pointer `id` inside each item of the array at `items`) is `value`. */
  contains?: { items: string; id: string; value: string };
}

interface Flow {
  description: string;
  provider: string;
  client: { userAgent: string; source: string };
  auth: 'basic' | 'bearer';
  /** Sent on every request, in this case and order, before the step's own headers. */
  headers: Record<string, string>;
  steps: Step[];
}

const DIR = join(import.meta.dirname, 'sdk-flows');
const FLOWS = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, flow: JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Flow }));

const pointer = (value: unknown, path: string): unknown =>
  path === '' ? value : path.split('/').slice(1).reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Body)[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), value);

const fill = <T>(value: T, saved: Record<string, string>): T =>
  JSON.parse(JSON.stringify(value).replace(/\{(\w+)\}/g, (whole, name: string) => saved[name] ?? whole)) as T;

const parse = (answer: RawAnswer): unknown => {
  try {
    return answer.text ? JSON.parse(answer.text) : undefined;
  } catch {
    return undefined;
  }
};

describe.each(FLOWS)('SDK flow $file', ({ flow }) => {
  const target = TARGETS.find((t) => t.provider === flow.provider)!;
  let server: ReferenceServer;
  let operations: Operation[];

  beforeAll(async () => {
    server = await target.start();
    operations = (await loadSpec(providerByName(flow.provider).spec)).operations;
  });

  afterAll(async () => {
    await server.close();
  });

  it('has steps for a whole user flow, each naming a documented answer', () => {
    expect(target, `no reference server for ${flow.provider}`).toBeDefined();
    expect(flow.steps.map((s) => s.method)).toEqual(expect.arrayContaining(['POST', 'GET', 'DELETE']));
    expect(flow.steps.some((s) => s.method === 'DELETE' && s.body === undefined && s.headers?.['Content-Type']?.startsWith('application/json'))).toBe(true);
    for (const step of flow.steps.filter((s) => s.operationId)) expect(operations.map((o) => o.id), step.name).toContain(step.operationId);
  });

  it('gets the documented answer to every request, from create to gone', async () => {
    const saved: Record<string, string> = {};
    const authorization = flow.auth === 'basic' ? BASIC : BEARER;
    for (const step of flow.steps) {
      const body = step.body === undefined ? undefined : JSON.stringify(fill(step.body, saved));
      const path = fill(step.path, saved);
      const headers: [string, string][] = [['Authorization', authorization], ...Object.entries(flow.headers), ...Object.entries(step.headers ?? {})];
      if (body !== undefined && !headers.some(([k]) => k.toLowerCase() === 'content-length')) headers.push(['Content-Length', String(Buffer.byteLength(body))]);
      let answer = await raw(server.url, step.method, path, headers, body === undefined ? [] : [body]);
      for (let i = 0; step.until && i < 300; i++) {
        const until = step.until;
        const reached = 'status' in until ? answer.status === until.status : answer.status === 200 && pointer(parse(answer), until.pointer) === until.equals;
        if (reached) break;
        expect(answer.status, `${step.name}: ${answer.text}`).toBe(200);
        await new Promise((r) => setTimeout(r, 20));
        answer = await raw(server.url, step.method, path, headers, []);
      }
      expect(answer.status, `${step.name}: ${answer.text}`).toBe(step.expect);
      const json = parse(answer);
      const operation = operations.find((o) => o.id === step.operationId);
      if (operation) {
        const res = response(answer.status, answer.text, String(answer.headers['content-type'] ?? ''));
        const sent = exchange(operation, res);
        const ctx = context();
        // As in a run: each check judges the answers it applies to.
        const failures = [statusCodeConformance, contentTypeConformance, responseSchemaConformance].flatMap((check) => (check.applies(sent, ctx) ? check.run(sent, ctx) : []));
        expect(failures, step.name).toEqual([]);
      }
      if (step.until && 'pointer' in step.until) expect(pointer(json, step.until.pointer), step.name).toBe(step.until.equals);
      if (step.contains) {
        const items = pointer(json, step.contains.items);
        expect(Array.isArray(items), step.name).toBe(true);
        expect((items as unknown[]).map((item) => String(pointer(item, step.contains!.id))), step.name).toContain(fill(step.contains.value, saved));
      }
      for (const [name, at] of Object.entries(step.save ?? {})) {
        const value = pointer(json, at);
        expect(value, `${step.name}: ${at}`).toBeDefined();
        saved[name] = String(value);
      }
      // Passwords sent in a flow never come back.
      for (const secret of ['owner-password-1', 'owner-password-2', 'cache-password-1', 'cache-password-2']) expect(answer.text, step.name).not.toContain(secret);
    }
  });
});
