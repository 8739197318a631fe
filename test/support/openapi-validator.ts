import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { Response } from 'supertest';

type Json = Record<string, unknown>;

/**
 * Headers any response may carry without the document naming them: HTTP's own framing. Every
 * other header (ETag, Idempotent-Replayed, Content-Disposition, Retry-After, …) must be documented
 * on the operation's response for that status.
 */
const FRAMING_HEADERS = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'vary']);
/** CORS is the browser's protocol around any answer (ICP_CORS_ORIGINS, ICP_CODEC_CORS_ORIGIN), not part of an operation's contract. */
const isCorsHeader = (name: string): boolean => name.startsWith('access-control-');

/** Routes kept out of the client contract on purpose: the document and its UI, Prometheus' scrape endpoint, the console's page. */
const OUTSIDE_THE_CONTRACT = ['/docs', '/metrics', '/console'];

/**
 * OpenAPI 3.0 schemas as JSON Schema for Ajv: `nullable` becomes "or null", OpenAPI-only keywords
 * go, refs point into the registered document, and an object without `additionalProperties` is
 * closed, so a field the document does not name fails. Hand-written: a dozen lines, where the
 * converters on npm target drafts Ajv 8 no longer takes without their own options.
 */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const { nullable, discriminator: _d, example: _e, examples: _x, ...rest } = schema as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === '$ref' && typeof value === 'string') out.$ref = value.startsWith('#/') ? `openapi.json${value}` : value;
    else if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, toJsonSchema(s)]));
    } else out[key] = toJsonSchema(value);
  }
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

interface Operation {
  template: string;
  pattern: RegExp;
  method: string;
  responses: Record<string, { content?: Record<string, { schema?: unknown }>; headers?: Record<string, unknown> }>;
}

/** Checks a response the API gave against the published document: status, body and headers. */
export class OpenApiValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenAPIObject) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'openapi.json', components: toJsonSchema(document.components) } as Json);
    for (const [template, item] of Object.entries(document.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
      for (const [method, operation] of Object.entries(item as Json)) {
        const responses = (operation as { responses?: Operation['responses'] }).responses;
        if (responses) this.operations.push({ template, pattern, method: method.toUpperCase(), responses });
      }
    }
  }

  /** What is wrong with this response, by the document (empty when it conforms). */
  check(method: string, url: string, res: Pick<Response, 'status' | 'headers' | 'body' | 'text'>): string[] {
    const path = new URL(url, 'http://localhost').pathname;
    if (OUTSIDE_THE_CONTRACT.some((prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}-`))) return [];
    // A CORS preflight is answered by the cors middleware (HTTP's, not an operation of the contract).
    if (method === 'OPTIONS' && res.headers['access-control-allow-methods'] !== undefined) return [];
    // 431: Node's own HTTP parser refuses oversized headers before the application runs (no body).
    if (res.status === 431) return [];
    const where = `${method} ${path} → ${res.status}`;
    const operation = this.operations.find((o) => o.method === method && o.pattern.test(path));
    if (!operation) {
      // No operation: the unknown-route 404, or what the layers before routing refuse with (a
      // malformed request 400/415, no valid token 401, the rate limit 429), each in its code's
      // documented error shape. Never a success, never a 5xx.
      const BEFORE_ROUTING: Record<number, string[]> = {
        400: ['VALIDATION_FAILED'],
        401: ['UNAUTHENTICATED'],
        404: ['ROUTE_NOT_FOUND'],
        413: ['PAYLOAD_TOO_LARGE'],
        415: ['UNSUPPORTED_MEDIA_TYPE'],
        429: ['RATE_LIMITED'],
      };
      const codes = BEFORE_ROUTING[res.status];
      if (!codes) return [`${where}: no operation in the document for ${method} ${path}`];
      const code = (res.body as { code?: unknown } | undefined)?.code;
      const name = codes.find((c) => c === code);
      if (!name) return [`${where}: body/code ${JSON.stringify(code)} is not ${codes.join(' or ')}`];
      const schema = name.toLowerCase().split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join('') + 'Error';
      return this.validate(`#/components/schemas/${schema}`, res.body, where);
    }
    const response = operation.responses[String(res.status)];
    if (!response) return [`${where}: status ${res.status} is not documented for ${method} ${operation.template}`];
    const problems: string[] = [];
    const documented = new Set(Object.keys(response.headers ?? {}).map((h) => h.toLowerCase()));
    for (const header of Object.keys(res.headers)) {
      if (!FRAMING_HEADERS.has(header) && !isCorsHeader(header) && !documented.has(header)) problems.push(`${where}: header ${header} is not documented`);
    }
    const mediaType = String(res.headers['content-type'] ?? '').split(';')[0].trim();
    const empty = res.status === 304 || (res.text === '' && !Buffer.isBuffer(res.body)) || res.headers['content-length'] === '0';
    if (!response.content) {
      if (!empty) problems.push(`${where}: a body (${mediaType}) where the document has none`);
      return problems;
    }
    if (empty) return [...problems, `${where}: no body where the document has ${Object.keys(response.content).join(', ')}`];
    const content = response.content[mediaType];
    if (!content) return [...problems, `${where}: content type ${mediaType} is not documented (${Object.keys(response.content).join(', ')})`];
    if (mediaType !== 'application/json') return problems; // binary content: the type is what is documented
    const pointer = `#/paths/${escape(operation.template)}/${operation.method.toLowerCase()}/responses/${res.status}/content/application~1json/schema`;
    return [...problems, ...this.validate(pointer, res.body, where, content.schema)];
  }

  /** What is wrong with `value` as an instance of `components.schemas[name]`. */
  checkSchema(name: string, value: unknown): string[] {
    return this.validate(`#/components/schemas/${name}`, value, name);
  }

  private validate(pointer: string, body: unknown, where: string, schema?: unknown): string[] {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile(schema === undefined ? { $ref: `openapi.json${pointer}` } : (toJsonSchema(schema) as Json));
      this.compiled.set(pointer, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${where}: body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  }
}

const escape = (template: string) => template.replace(/~/g, '~0').replace(/\//g, '~1');
