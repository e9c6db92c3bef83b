import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { ValidatorCache } from '../../src/checks/validators.ts';
import { requestInputArbitrary, type RequestInput } from '../../src/generate/request.ts';
import { loadSpec } from '../../src/spec/load.ts';
import type { ApiSpec, Operation } from '../../src/spec/types.ts';
import { generateLargeDocument, LARGE_OPERATION_COUNT, LARGE_RESOURCES } from './generate-large.ts';

/**
 * The corpus: OpenAPI documents of our own, in several styles and sizes, each loaded, generated from and planned.
 * The large document is produced here by generate-large.ts (deterministically) and written to a temporary file.
 */
const SEED = 20241107;
const SAMPLES = 20;
const RESERVED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

const largeFile = join(mkdtempSync(join(tmpdir(), 'conformance-corpus-')), 'generated-large.json');
writeFileSync(largeFile, JSON.stringify(generateLargeDocument(), null, 1));

const CORPUS = [
  { name: 'petstore-30.yaml', file: join(import.meta.dirname, 'petstore-30.yaml'), openapi: '3.0', operations: 6 },
  { name: 'bookings-30.json', file: join(import.meta.dirname, 'bookings-30.json'), openapi: '3.0', operations: 10 },
  { name: 'fleet-31.yaml', file: join(import.meta.dirname, 'fleet-31.yaml'), openapi: '3.1', operations: 10 },
  { name: 'generated-large (3.1)', file: largeFile, openapi: '3.1', operations: LARGE_OPERATION_COUNT },
] as const;

const loaded = new Map<string, ApiSpec>(await Promise.all(CORPUS.map(async (c) => [c.name, await loadSpec(c.file)] as const)));
const spec = (name: string) => loaded.get(name)!;
const op = (specName: string, id: string) => spec(specName).operations.find((o) => o.id === id)!;

/** What goes on the wire: fast-check records have null prototypes, which ajv does not take for objects. */
const wire = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

/** Every way one generated request breaks its operation's schemas: parameters, body, required and undocumented values. */
function requestProblems(operation: Operation, input: RequestInput, validators: ValidatorCache): string[] {
  const problems: string[] = [];
  const groups = { path: input.path, query: input.query, header: input.headers, cookie: {} as Record<string, unknown> };
  for (const param of operation.parameters) {
    if (param.in === 'cookie' || (param.in === 'header' && RESERVED_HEADERS.has(param.name.toLowerCase()))) continue;
    const group = groups[param.in];
    if (!Object.prototype.hasOwnProperty.call(group, param.name)) {
      if (param.required) problems.push(`required ${param.in} parameter ${param.name} is missing`);
      continue;
    }
    for (const issue of validators.validate(param.schema, wire(group[param.name]), 'request')) problems.push(`${param.in} ${param.name}: ${issue.path} ${issue.message}`);
  }
  const known = new Set(operation.parameters.map((p) => `${p.in}:${p.name}`));
  for (const [location, group] of Object.entries(groups)) for (const name of Object.keys(group)) if (!known.has(`${location}:${name}`)) problems.push(`undocumented ${location} parameter ${name}`);
  if (!operation.body) {
    if (input.body !== undefined) problems.push('a body for an operation without one');
  } else if (input.body === undefined) {
    if (operation.body.required) problems.push('the required body is missing');
  } else if (operation.body.schema) {
    const body = wire(input.body);
    for (const issue of validators.validate(operation.body.schema, body, 'request')) problems.push(`body ${issue.path || '(root)'} ${issue.message} in ${JSON.stringify(body).slice(0, 300)}`);
  }
  return problems;
}

/** SAMPLES generated requests of an operation, with a fixed seed, and what the generator reported as unsupported. */
function generated(operation: Operation): { inputs: RequestInput[]; unsupported: string[] } {
  const unsupported = new Set<string>();
  const inputs = fc.sample(requestInputArbitrary(operation, { onUnsupported: (w) => unsupported.add(w) }), { seed: SEED, numRuns: SAMPLES }).map(wire);
  return { inputs, unsupported: [...unsupported] };
}

async function list(file: string, ...extra: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['run', '--spec', file, '--list', ...extra], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

const operationLines = (out: string[]) => out.filter((l) => /^\s+(create|exercise|delete)\s+[A-Z]+\s/.test(l));
const lineFor = (out: string[], id: string) => operationLines(out).find((l) => l.includes(`(${id}):`));

describe.each(CORPUS)('corpus: $name', ({ name, file, openapi, operations }) => {
  it('loads through loadSpec with every operation', () => {
    const s = spec(name);
    expect(s.openapi).toBe(openapi);
    expect(s.operations).toHaveLength(operations);
    expect(new Set(s.operations.map((o) => o.id)).size).toBe(operations);
  });

  it(`every operation yields ${SAMPLES} requests whose parameters and body validate, with nothing unsupported`, () => {
    const validators = new ValidatorCache(spec(name).openapi);
    const problems: string[] = [];
    const unsupported: string[] = [];
    for (const operation of spec(name).operations) {
      const { inputs, unsupported: u } = generated(operation);
      expect(inputs).toHaveLength(SAMPLES);
      unsupported.push(...u.map((w) => `${operation.id}: ${w}`));
      for (const input of inputs) problems.push(...requestProblems(operation, input, validators).map((p) => `${operation.id}: ${p}`));
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(unsupported).toEqual([]);
  });

  it('--list prints every operation with its checks and exits 0', async () => {
    const { code, out, err } = await list(file, '--mode', 'full', '--allow-writes');
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out[0]).toBe(`plan for generic (full): ${operations} operations`);
    const lines = operationLines(out);
    expect(lines).toHaveLength(operations);
    expect(new Set(lines.map((l) => /\((.+)\):/.exec(l)![1]))).toEqual(new Set(spec(name).operations.map((o) => o.id)));
    for (const line of lines) expect(line).toMatch(/: not-a-server-error, status-code-conformance, content-type-conformance, response-schema-conformance, /);
  });
});

describe('corpus: what the documents exercise', () => {
  it('petstore (3.0): readOnly fields are never sent, nullable and boolean exclusive bounds hold, the writeOnly password is', () => {
    const pets = generated(op('petstore-30.yaml', 'createPet')).inputs.map((i) => i.body as Record<string, unknown>);
    for (const pet of pets) {
      expect(pet).not.toHaveProperty('id');
      expect(pet).not.toHaveProperty('createdAt');
      expect(pet.weightKg as number).toBeGreaterThan(0);
      if ('ageYears' in pet) expect(pet.ageYears as number).toBeLessThan(40);
    }
    expect(pets.some((p) => p.nickname === null)).toBe(true);
    expect(pets.some((p) => typeof p.nickname === 'string')).toBe(true);
    // The $ref with a sibling description still is the referenced schema.
    const owner = (op('petstore-30.yaml', 'createPet').body!.schema!.properties as Record<string, Record<string, unknown>>).owner!;
    expect(owner).toMatchObject({ description: 'Who brings the pet in.', required: ['ownerId'] });
    const owners = generated(op('petstore-30.yaml', 'createOwner')).inputs.map((i) => i.body as Record<string, unknown>);
    for (const o of owners) expect(String(o.password).length).toBeGreaterThanOrEqual(12);
    // writeOnly: required in requests, not in responses.
    const validators = new ValidatorCache('3.0');
    const response = op('petstore-30.yaml', 'createOwner').responses.find((r) => r.status === '201')!.content['application/json']!;
    expect(validators.validate(response, { id: '1c6b4a8e-4a0e-4f5c-9d7e-0d0f3b6a1e2f', email: 'a@example.com' }, 'response')).toEqual([]);
  });

  it('bookings (3.0 JSON): the discriminator carries the mapped value of the chosen branch; form query arrays', () => {
    const payments = fc.sample(requestInputArbitrary(op('bookings-30.json', 'payBooking')), { seed: SEED, numRuns: 200 }).map((i) => wire(i.body) as Record<string, unknown>);
    expect(new Set(payments.map((p) => p.method))).toEqual(new Set(['card', 'sepa', 'transfer', 'voucher']));
    for (const p of payments) {
      if (p.method === 'card') expect(typeof p.cardToken).toBe('string');
      else expect(p).not.toHaveProperty('cardToken');
    }
    const search = generated(op('bookings-30.json', 'searchHotels')).inputs;
    expect(search.some((i) => Array.isArray(i.query.amenity) && (i.query.amenity as unknown[]).length >= 1)).toBe(true);
    const booking = generated(op('bookings-30.json', 'createBooking')).inputs;
    for (const b of booking) expect(String(b.headers['Idempotency-Key']).length).toBeGreaterThanOrEqual(16);
  });

  it('fleet (3.1): a $ref sibling `required` adds to the target\'s, sibling maxLength binds, mapping by name, prefixItems tuples', () => {
    const vehicles = generated(op('fleet-31.yaml', 'createVehicle')).inputs.map((i) => i.body as Record<string, unknown>);
    for (const v of vehicles) {
      for (const key of ['kind', 'label', 'registration']) expect(v).toHaveProperty(key);
      for (const key of ['id', 'status', 'odometerKm']) expect(v).not.toHaveProperty(key);
      expect(String(v.label).length).toBeLessThanOrEqual(20);
    }
    const fuels = fc.sample(requestInputArbitrary(op('fleet-31.yaml', 'createVehicle')), { seed: SEED, numRuns: 200 }).map((i) => (i.body as { engine?: { fuel: string } }).engine?.fuel).filter(Boolean);
    expect(new Set(fuels)).toEqual(new Set(['diesel', 'petrol', 'electric', 'hybrid']));
    const positions = generated(op('fleet-31.yaml', 'reportPosition')).inputs.map((i) => (i.body as { coordinates: unknown[] }).coordinates);
    for (const c of positions) expect(c).toHaveLength(3);
    // Webhooks are no operations of the API; the path item kept in components is.
    expect(spec('fleet-31.yaml').operations.map((o) => o.id)).not.toContain('onVehicleMoved');
    expect(op('fleet-31.yaml', 'hireDriver').path).toBe('/drivers');
  });

  it('generated (3.1): oneOf with and without mapping, const unions and anyOf all generate valid specs', () => {
    const kinds = (id: string) => new Set(fc.sample(requestInputArbitrary(op('generated-large (3.1)', id)), { seed: SEED, numRuns: 100 }).map((i) => {
      const spec = (i.body as { spec: unknown }).spec;
      return typeof spec === 'string' ? `size:${spec}` : (spec as { kind: string }).kind;
    }));
    expect(LARGE_RESOURCES.slice(0, 4).map((r) => r.union)).toEqual(['discriminator-mapping', 'discriminator-names', 'const-oneOf', 'anyOf']);
    expect(kinds('createAccount')).toEqual(new Set(['basic', 'standard']));
    expect(kinds('createAlert')).toEqual(new Set(['AlertBasicSpec', 'AlertStandardSpec', 'AlertPremiumSpec']));
    expect(kinds('createArchive')).toEqual(new Set(['basic', 'standard']));
    const anyOf = kinds('createBackup');
    expect([...anyOf].some((k) => k.startsWith('size:'))).toBe(true);
    expect([...anyOf].some((k) => !k.startsWith('size:'))).toBe(true);
    for (const input of generated(op('generated-large (3.1)', 'createCluster')).inputs) {
      for (const key of ['id', 'state', 'createdAt']) expect(input.body).not.toHaveProperty(key);
    }
  });

  it('--list of the large document names its resources, creates and pagination, and a read-only plan lists only reads', async () => {
    const { out } = await list(largeFile, '--mode', 'full', '--allow-writes');
    expect(out).toContain('  create up to 1 accounts with createAccount (deleted again by the run)');
    expect(out.filter((l) => l.startsWith('  create up to '))).toHaveLength(LARGE_RESOURCES.length);
    expect(lineFor(out, 'createAccount')).toMatch(/^ {2}create {3}POST {3}\/accounts \(createAccount\): .*resource-availability, create-echo/);
    expect(lineFor(out, 'listAccounts')).toMatch(/pagination-walk.*list-contains-created, list-omits-deleted/);
    expect(lineFor(out, 'deleteAccount')).toMatch(/^ {2}delete {3}DELETE \/accounts\/\{accountId\} .*use-after-delete/);
    expect(lineFor(out, 'health')).not.toMatch(/auth-required/);
    const readOnly = await list(largeFile);
    expect(readOnly.code).toBe(0);
    const reads = spec('generated-large (3.1)').operations.filter((o) => o.method === 'get');
    expect(readOnly.out[0]).toBe(`plan for generic (read-only): ${reads.length} operations`);
    expect(operationLines(readOnly.out).every((l) => /^\s+exercise GET /.test(l))).toBe(true);
  });

  it('--list of the petstore shows CRUD as a resource with pagination on the list', async () => {
    const { out } = await list(join(import.meta.dirname, 'petstore-30.yaml'), '--mode', 'full', '--allow-writes');
    expect(out[1]).toBe('  create up to 3 pets with createPet (deleted again by the run)');
    expect(lineFor(out, 'createPet')).toMatch(/^ {2}create {3}POST {3}\/pets \(createPet\): .*resource-availability, create-echo$/);
    // The generic profile reads no pagination links: pagination-links is not promised (the run could not judge it).
    expect(lineFor(out, 'listPets')).toMatch(/pagination-bounds, pagination-walk, list-contains-created, list-omits-deleted$/);
    expect(lineFor(out, 'replacePet')).toMatch(/update-applied$/);
    expect(lineFor(out, 'deletePet')).toMatch(/^ {2}delete {3}DELETE \/pets\/\{petId\} \(deletePet\): .*use-after-delete$/);
    expect(lineFor(out, 'createOwner')).not.toMatch(/resource-availability/);
  });
});
