import SwaggerParser from '@apidevtools/swagger-parser';
import { existsSync } from 'node:fs';
import { UsageError, errorMessage } from '../errors.ts';
import { buildOperations } from './operations.ts';
import { rewriteDocument } from './rewrite.ts';
import { expandServerUrl } from './servers.ts';
import type { ApiSpec, SecurityScheme } from './types.ts';

type Doc = Record<string, any>;

/** Loads, validates and dereferences an OpenAPI 3.x document and builds the operation model. */
export async function loadSpec(source: string): Promise<ApiSpec> {
  const isUrl = /^https?:\/\//.test(source);
  if (!isUrl && !existsSync(source)) {
    throw new UsageError(`spec file not found: ${source}`, 'pass an existing OpenAPI file with --spec');
  }
  let doc: Doc;
  try {
    // Bundled first (external files inlined, $refs still visible) for the rewrites, then validated and dereferenced.
    const bundled = (await SwaggerParser.bundle(source)) as Doc;
    if (typeof bundled.swagger !== 'string') rewriteDocument(bundled, String(bundled.openapi ?? '').startsWith('3.1') ? '3.1' : '3.0');
    doc = (await SwaggerParser.validate(source, bundled as never, {})) as Doc;
  } catch (error) {
    throw new UsageError(`invalid OpenAPI document ${source}: ${describeSpecError(error)}`, 'fix the spec so that it validates as OpenAPI 3.x');
  }
  if (typeof doc.swagger === 'string') {
    throw new UsageError(`${source} is Swagger ${doc.swagger}, not OpenAPI 3.x`, 'convert it to OpenAPI 3 first, for example with swagger2openapi');
  }
  const openapi = String(doc.openapi ?? '');
  const version = openapi.startsWith('3.1') ? '3.1' : openapi.startsWith('3.0') ? '3.0' : undefined;
  if (!version) throw new UsageError(`${source} declares openapi ${openapi || '(none)'}`, 'only OpenAPI 3.0 and 3.1 are supported');
  return {
    source,
    title: String(doc.info?.title ?? ''),
    version: String(doc.info?.version ?? ''),
    openapi: version,
    servers: Array.isArray(doc.servers) ? doc.servers.map((s: Doc) => expandServerUrl(s)) : [],
    operations: buildOperations(doc),
    securitySchemes: (doc.components?.securitySchemes ?? {}) as Record<string, SecurityScheme>,
  };
}

function describeSpecError(error: unknown): string {
  const full = error instanceof Error ? error.message : String(error);
  const message = errorMessage(error);
  if (/Error resolving \$ref pointer|Missing \$ref pointer|Token ".*" does not exist|Error opening file/.test(full)) {
    return `dangling $ref: ${clip(message)}`;
  }
  if (/is not a valid JSON Schema$/.test(message)) {
    return 'the file holds no OpenAPI document (a YAML or JSON mapping with openapi, info and paths)';
  }
  if (/schema validation failed/i.test(message)) {
    // The first line only says that validation failed; the lines after it say where.
    const details = [...new Set(full.split('\n').slice(1).map((l) => l.trim()).filter((l) => l.length > 0 && !/^at /.test(l)))].slice(0, 3);
    if (details.length > 0) return clip(`OpenAPI schema validation failed: ${details.join('; ')}`);
  }
  return clip(message);
}

function clip(message: string): string {
  return message.length > 300 ? `${message.slice(0, 300)}...` : message;
}
