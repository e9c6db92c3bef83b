import { declaredServers } from './servers.ts';
import { HTTP_METHODS, type JsonSchema, type Operation, type Parameter, type ResponseSpec, type SecurityRequirement } from './types.ts';

type Doc = Record<string, any>;

/** Builds the operation model from a dereferenced OpenAPI 3.x document. */
export function buildOperations(doc: Doc): Operation[] {
  const operations: Operation[] = [];
  const globalSecurity: SecurityRequirement[] = Array.isArray(doc.security) ? doc.security : [];
  for (const [path, pathItem] of Object.entries<Doc>(doc.paths ?? {})) {
    const shared: Doc[] = pathItem.parameters ?? [];
    for (const method of HTTP_METHODS) {
      const op: Doc | undefined = pathItem[method];
      if (!op) continue;
      const servers = declaredServers(pathItem, op);
      operations.push({
        id: String(op.operationId ?? `${method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`),
        method,
        path,
        tags: Array.isArray(op.tags) ? op.tags.map(String) : [],
        summary: String(op.summary ?? ''),
        deprecated: op.deprecated === true,
        parameters: mergeParameters(shared, op.parameters ?? []),
        body: requestBody(op.requestBody),
        responses: Object.entries<Doc>(op.responses ?? {}).map(([status, response]) => responseSpec(status, response)),
        security: Array.isArray(op.security) ? op.security : globalSecurity,
        ...(servers ? { servers } : {}),
        ...(op['x-conformance-strict'] === true ? { strict: true } : {}),
        ...(typeof op['x-conformance-lenient'] === 'string' ? { lenient: op['x-conformance-lenient'] } : {}),
      });
    }
  }
  return operations;
}

function mergeParameters(shared: Doc[], own: Doc[]): Parameter[] {
  const byKey = new Map<string, Parameter>();
  for (const p of [...shared, ...own]) {
    byKey.set(`${p.in}:${p.name}`, {
      name: String(p.name),
      in: p.in,
      required: p.required === true || p.in === 'path',
      schema: (p.schema ?? firstSchema(p.content) ?? {}) as JsonSchema,
      style: p.style,
      explode: p.explode,
      ...(p['x-conformance-strict'] === true || p.schema?.['x-conformance-strict'] === true ? { strict: true } : {}),
    });
  }
  return [...byKey.values()];
}

function requestBody(body: Doc | undefined): Operation['body'] {
  if (!body?.content) return undefined;
  const types = Object.keys(body.content);
  const contentType = types.find(isJsonMediaType) ?? types[0];
  if (!contentType) return undefined;
  const media: Doc = body.content[contentType] ?? {};
  const examples = [...('example' in media ? [media.example] : []), ...Object.values<Doc>(media.examples ?? {}).filter((e) => e && 'value' in e).map((e) => e.value)];
  return { required: body.required === true, contentType, schema: media.schema, ...(examples.length > 0 ? { examples } : {}) };
}

function responseSpec(status: string, response: Doc): ResponseSpec {
  const content: Record<string, JsonSchema | undefined> = {};
  for (const [mediaType, media] of Object.entries<Doc>(response.content ?? {})) content[mediaType] = media?.schema;
  return { status: status.toUpperCase(), content };
}

function firstSchema(content: Doc | undefined): JsonSchema | undefined {
  if (!content) return undefined;
  const first = Object.values<Doc>(content)[0];
  return first?.schema;
}

export function isJsonMediaType(mediaType: string): boolean {
  const base = mediaType.split(';')[0]!.trim().toLowerCase();
  return base === 'application/json' || base.endsWith('+json') || base === '*/*';
}

/** The documented responses that match a status code: exact first, then the 4XX-style range, then default. */
export function matchResponse(responses: ResponseSpec[], status: number): ResponseSpec | undefined {
  const exact = responses.find((r) => r.status === String(status));
  if (exact) return exact;
  const range = responses.find((r) => r.status === `${Math.floor(status / 100)}XX`);
  return range ?? responses.find((r) => r.status === 'DEFAULT');
}
