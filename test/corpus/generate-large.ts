/**
 * A large OpenAPI 3.1 document for the corpus, generated deterministically from a few dozen resource definitions:
 * every resource has list, create, read, update and delete operations (some also an action and a sub-collection),
 * and its schemas lean on oneOf (with and without a discriminator mapping), anyOf and type arrays.
 * The same call always returns the same document; corpus.test.ts writes it to a temporary file and loads it.
 */

type Schema = Record<string, unknown>;

interface ResourceDefinition {
  /** Plural path segment: `/widgets`. */
  name: string;
  /** Schema name prefix: `Widget`. */
  type: string;
  /** Which style of variant union the resource's `spec` uses. */
  union: 'discriminator-mapping' | 'discriminator-names' | 'const-oneOf' | 'anyOf';
  /** Sub-collection under the item (`/widgets/{widgetId}/parts`). */
  child?: string;
  /** An action (`POST /widgets/{widgetId}/restart`). */
  action?: string;
  idFormat: 'uuid' | 'pattern' | 'integer';
}

const NAMES = [
  'accounts', 'alerts', 'archives', 'backups', 'buckets', 'certificates', 'clusters', 'connectors', 'dashboards', 'databases',
  'datasets', 'deployments', 'domains', 'endpoints', 'firewalls', 'functions', 'gateways', 'images', 'invoices', 'jobs',
  'keys', 'listeners', 'monitors', 'networks', 'nodes', 'pipelines', 'policies', 'queues', 'replicas', 'schedules',
  'secrets', 'snapshots', 'topics', 'volumes',
];
const UNIONS: ResourceDefinition['union'][] = ['discriminator-mapping', 'discriminator-names', 'const-oneOf', 'anyOf'];
const ID_FORMATS: ResourceDefinition['idFormat'][] = ['uuid', 'pattern', 'integer'];
const CHILDREN = ['events', 'members', 'labels', 'revisions'];
const ACTIONS = ['restart', 'pause', 'resume', 'rotate', 'verify'];

/** The resource definitions: a fixed list, with styles rotating so that every combination occurs. */
export const LARGE_RESOURCES: readonly ResourceDefinition[] = NAMES.map((name, i) => ({
  name,
  type: singular(name).replace(/^./, (c) => c.toUpperCase()),
  union: UNIONS[i % UNIONS.length]!,
  idFormat: ID_FORMATS[i % ID_FORMATS.length]!,
  ...(i % 3 === 0 ? { child: CHILDREN[(i / 3) % CHILDREN.length]! } : {}),
  ...(i % 4 === 1 ? { action: ACTIONS[i % ACTIONS.length]! } : {}),
}));

/** How many operations the generated document has: 5 per resource, 2 per sub-collection, 1 per action, plus /health. */
export const LARGE_OPERATION_COUNT = LARGE_RESOURCES.reduce((n, r) => n + 5 + (r.child ? 2 : 0) + (r.action ? 1 : 0), 1);

function singular(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  if (name.endsWith('sses') || name.endsWith('xes')) return name.slice(0, -2);
  return name.endsWith('s') ? name.slice(0, -1) : name;
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });

export function generateLargeDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {
    '/health': {
      get: {
        operationId: 'health',
        security: [],
        responses: { 200: { description: 'Healthy.', content: json({ type: 'object', required: ['status'], properties: { status: { enum: ['ok', 'degraded'] }, version: { type: ['string', 'null'] } } }) } },
      },
    },
  };
  const schemas: Record<string, Schema> = {
    Problem: { type: 'object', required: ['code', 'message'], properties: { code: { type: ['string', 'integer'] }, message: { type: 'string' }, details: { type: ['array', 'null'], items: { type: 'string' } } } },
    Labels: { type: 'object', maxProperties: 5, additionalProperties: { type: 'string', maxLength: 32 } },
    Window: {
      anyOf: [
        { type: 'object', required: ['day'], properties: { day: { enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }, hour: { type: 'integer', minimum: 0, exclusiveMaximum: 24 } } },
        { type: 'object', required: ['cron'], properties: { cron: { type: 'string', pattern: '^[0-9*/,-]+( [0-9*/,-]+){4}$' } } },
      ],
    },
  };
  const parameters: Record<string, Schema> = {
    Limit: { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
    Offset: { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 } },
  };
  for (const [index, resource] of LARGE_RESOURCES.entries()) addResource(resource, index, paths, schemas, parameters);
  return {
    openapi: '3.1.0',
    info: { title: 'Generated control plane', version: '1.0.0', description: `A generated document: ${LARGE_RESOURCES.length} resources, ${LARGE_OPERATION_COUNT} operations.` },
    servers: [{ url: 'https://control.example.com/v1' }],
    security: [{ token: [] }],
    tags: LARGE_RESOURCES.map((r) => ({ name: r.name })),
    paths,
    components: {
      securitySchemes: { token: { type: 'http', scheme: 'bearer' } },
      parameters,
      responses: { Problem: { description: 'A problem.', content: json(ref('Problem')) } },
      schemas,
    },
  };
}

function addResource(r: ResourceDefinition, index: number, paths: Record<string, Record<string, unknown>>, schemas: Record<string, Schema>, parameters: Record<string, Schema>): void {
  const idParam = `${singular(r.name).replace(/_(.)/g, (_m, c: string) => c.toUpperCase())}Id`;
  const idSchema: Schema =
    r.idFormat === 'uuid' ? { type: 'string', format: 'uuid' } : r.idFormat === 'pattern' ? { type: 'string', pattern: `^${r.name.slice(0, 3)}-[0-9a-f]{6}$` } : { type: 'integer', minimum: 1 };
  parameters[`${r.type}Id`] = { name: idParam, in: 'path', required: true, schema: idSchema };
  const variants = addVariants(r, index, schemas);
  schemas[r.type] = {
    type: 'object',
    required: ['id', 'name', 'spec', 'state'],
    properties: {
      id: { ...idSchema, readOnly: true },
      name: { type: 'string', minLength: 1, maxLength: 48, pattern: '^[a-z][a-z0-9-]*$' },
      description: { type: ['string', 'null'], maxLength: 200 },
      labels: ref('Labels'),
      spec: variants,
      size: index % 2 === 0 ? { type: ['integer', 'null'], exclusiveMinimum: 0, maximum: 64 } : { type: ['number', 'string'], minimum: 0.5, maximum: 512, pattern: '^[0-9]+(Gi|Mi)$' },
      window: { anyOf: [ref('Window'), { type: 'null' }] },
      state: { enum: ['creating', 'ready', 'updating', 'deleting', 'failed'], readOnly: true },
      createdAt: { type: 'string', format: 'date-time', readOnly: true },
      ...(index % 5 === 0 ? { secret: { type: 'string', minLength: 12, maxLength: 40, writeOnly: true } } : {}),
    },
  };
  schemas[`${r.type}Create`] = {
    // 3.1 $ref with siblings: the sibling `required` adds to the referenced schema's own.
    $ref: `#/components/schemas/${r.type}`,
    required: index % 2 === 0 ? ['labels'] : ['size'],
    description: `What a new ${singular(r.name)} is made from.`,
  };
  schemas[`${r.type}Update`] = {
    type: 'object',
    minProperties: 1,
    properties: {
      description: { type: ['string', 'null'], maxLength: 200 },
      labels: { anyOf: [ref('Labels'), { type: 'null' }] },
      spec: variants,
      tags: { type: 'array', maxItems: 4, uniqueItems: true, items: { type: 'string', maxLength: 10 } },
    },
  };
  schemas[`${r.type}Page`] = {
    type: 'object',
    required: ['items', 'offset', 'limit'],
    properties: { items: { type: 'array', items: ref(r.type) }, offset: { type: 'integer' }, limit: { type: 'integer' }, total: { type: ['integer', 'null'] } },
  };
  const problem = { $ref: '#/components/responses/Problem' };
  const id = { $ref: `#/components/parameters/${r.type}Id` };
  const tags = [r.name];
  paths[`/${r.name}`] = {
    get: {
      operationId: `list${r.type}s`,
      tags,
      parameters: [{ $ref: '#/components/parameters/Limit' }, { $ref: '#/components/parameters/Offset' }, { name: 'state', in: 'query', schema: { type: 'array', items: { enum: ['creating', 'ready', 'updating', 'deleting', 'failed'] } } }],
      responses: { 200: { description: 'A page.', content: json(ref(`${r.type}Page`)) }, default: problem },
    },
    post: {
      operationId: `create${r.type}`,
      tags,
      requestBody: { required: true, content: json(ref(`${r.type}Create`)) },
      responses: { 201: { description: 'Created.', content: json(ref(r.type)) }, 400: problem, 409: problem },
    },
  };
  paths[`/${r.name}/{${idParam}}`] = {
    parameters: [id],
    get: { operationId: `get${r.type}`, tags, responses: { 200: { description: 'The resource.', content: json(ref(r.type)) }, 404: problem } },
    [index % 2 === 0 ? 'patch' : 'put']: {
      operationId: `update${r.type}`,
      tags,
      requestBody: { required: true, content: json(ref(`${r.type}Update`)) },
      responses: { 200: { description: 'Updated.', content: json(ref(r.type)) }, 404: problem },
    },
    delete: { operationId: `delete${r.type}`, tags, responses: { 204: { description: 'Deleted.' }, 404: problem } },
  };
  if (r.child) {
    const child = singular(r.child).replace(/^./, (c) => c.toUpperCase());
    const childSchema = `${r.type}${child}`;
    schemas[childSchema] = {
      type: 'object',
      required: ['key'],
      properties: {
        key: { type: 'string', maxLength: 20, pattern: '^[a-z]+$' },
        value: { type: ['string', 'number', 'boolean', 'null'] },
        at: { type: ['string', 'null'], format: 'date-time' },
      },
    };
    paths[`/${r.name}/{${idParam}}/${r.child}`] = {
      parameters: [id],
      get: { operationId: `list${r.type}${child}s`, tags, responses: { 200: { description: 'Children.', content: json({ type: 'array', items: ref(childSchema) }) } } },
      post: {
        operationId: `add${r.type}${child}`,
        tags,
        requestBody: { required: true, content: json({ type: 'array', minItems: 1, maxItems: 3, items: ref(childSchema) }) },
        responses: { 201: { description: 'Added.' } },
      },
    };
  }
  if (r.action) {
    paths[`/${r.name}/{${idParam}}/${r.action}`] = {
      parameters: [id],
      post: {
        operationId: `${r.action}${r.type}`,
        tags,
        parameters: [{ name: 'force', in: 'query', schema: { type: ['boolean', 'null'] } }],
        requestBody: { content: json({ type: ['object', 'null'], properties: { reason: { type: 'string', maxLength: 80 }, after: { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 3600 } } }) },
        responses: { 202: { description: 'Started.', content: json({ type: 'object', required: ['operation'], properties: { operation: { type: 'string', format: 'uuid' } } }) } },
      },
    };
  }
}

/** The variant union of a resource's `spec`, with its branch schemas added to `schemas`. */
function addVariants(r: ResourceDefinition, index: number, schemas: Record<string, Schema>): Schema {
  const kinds = ['Basic', 'Standard', 'Premium'].slice(0, 2 + (index % 2));
  // Branches share their properties on purpose: only the discriminator (or the const) tells them apart.
  const branch = (kind: string, k: number): Schema => ({
    type: 'object',
    required: ['kind', 'replicas'],
    properties: {
      kind: { type: 'string' },
      replicas: { type: 'integer', minimum: 1, maximum: 3 + k * 2 },
      zone: { type: ['string', 'null'], enum: ['a', 'b', 'c', null] },
      ...(k > 0 ? { storageGb: { type: 'integer', minimum: 10, maximum: 1000, multipleOf: 10 } } : {}),
      ...(k > 1 ? { backupWindow: ref('Window') } : {}),
    },
  });
  const names = kinds.map((kind) => `${r.type}${kind}Spec`);
  if (r.union === 'discriminator-mapping' || r.union === 'discriminator-names') {
    kinds.forEach((kind, k) => (schemas[names[k]!] = branch(kind, k)));
    const mapping = r.union === 'discriminator-mapping' ? Object.fromEntries(kinds.map((kind, k) => [kind.toLowerCase(), k % 2 === 0 ? `#/components/schemas/${names[k]}` : names[k]!])) : undefined;
    return { oneOf: names.map(ref), discriminator: { propertyName: 'kind', ...(mapping ? { mapping } : {}) } };
  }
  if (r.union === 'const-oneOf') {
    return {
      oneOf: kinds.map((kind, k) => {
        const b = branch(kind, k);
        (b.properties as Record<string, Schema>).kind = { const: kind.toLowerCase() };
        return b;
      }),
    };
  }
  // anyOf: overlapping branches are fine; one of them is a plain size string.
  return { anyOf: [...kinds.map((kind, k) => branch(kind, k)), { type: 'string', enum: ['small', 'medium', 'large'] }] };
}
