/** The operation model: what the engine needs to know about one OpenAPI operation, already dereferenced. */
export type JsonSchema = Record<string, unknown>;

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options' | 'trace';
export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface Parameter {
  name: string;
  in: ParameterLocation;
  required: boolean;
  schema: JsonSchema;
  style?: string;
  explode?: boolean;
  /** `x-conformance-strict: true` on the parameter or its schema: the docs state that a value breaking its schema is refused. */
  strict?: boolean;
}

export interface RequestBodySpec {
  required: boolean;
  /** Media type sent by the generator (the first JSON one, else the first listed). */
  contentType: string;
  schema: JsonSchema | undefined;
  /** The documented examples of that media type (`example`, and the values of `examples`), if any. */
  examples?: unknown[];
}

export interface ResponseSpec {
  /** '200', '4XX' or 'default'. */
  status: string;
  /** Media type to schema (undefined when the media type has no schema). Empty when the response has no body. */
  content: Record<string, JsonSchema | undefined>;
}

export type SecurityRequirement = Record<string, string[]>;

export interface SecurityScheme {
  type: string;
  scheme?: string;
  in?: string;
  name?: string;
}

export interface Operation {
  id: string;
  method: HttpMethod;
  path: string;
  tags: string[];
  summary: string;
  deprecated: boolean;
  parameters: Parameter[];
  body: RequestBodySpec | undefined;
  responses: ResponseSpec[];
  /** The operation's (or its path item's) own `servers`, expanded; absent when it declares none (src/spec/servers.ts). */
  servers?: string[];
  /** Effective security requirements; an empty list means the operation is public. */
  security: SecurityRequirement[];
  /** `x-conformance-strict: true`: the docs state that the operation refuses every request breaking its documented constraints. */
  strict?: boolean;
  /** `x-conformance-lenient: "why"`: the docs make acceptance of valid data depend on something outside the request (tier, state). */
  lenient?: string;
}

export interface ApiSpec {
  /** Where the spec was loaded from. */
  source: string;
  title: string;
  version: string;
  openapi: '3.0' | '3.1';
  servers: string[];
  operations: Operation[];
  securitySchemes: Record<string, SecurityScheme>;
}
