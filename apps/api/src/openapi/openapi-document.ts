import type { INestApplication } from '@nestjs/common';
import { documentAccess } from '../auth/http-hardening';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ReferenceObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ERROR_CODES_EXTENSION } from './api-responses';
import { API_ERROR_CODES, API_STATUS_BY_CODE, ERROR_DETAILS, errorSchemaName, errorSchemas, type ApiErrorCode } from './error-schemas';

/** What any operation can answer: a bad parameter or body (400), a body too large or not JSON, a fault. */
const EVERY_OPERATION: ApiErrorCode[] = ['VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'INTERNAL_ERROR'];
/** What every operation behind the bearer token can answer too: no valid token, a role that may not, the rate limit. */
const EVERY_PROTECTED_OPERATION: ApiErrorCode[] = ['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED'];

/** What helmet sets on every answer (apps/api/src/auth/http-hardening.ts). */
const SECURITY_HEADERS = Object.fromEntries(
  [
    ['Content-Security-Policy', 'Only this origin may load anything for a page of the API'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    ['Origin-Agent-Cluster', 'Origin-keyed agent clustering'],
    ['Referrer-Policy', 'no-referrer'],
    ['Strict-Transport-Security', 'HTTPS only, once served over HTTPS'],
    ['X-DNS-Prefetch-Control', 'off'],
    ['X-Download-Options', 'noopen'],
    ['X-Frame-Options', 'SAMEORIGIN: not framed by other sites'],
    ['X-Permitted-Cross-Domain-Policies', 'none'],
    ['X-XSS-Protection', '0 (the legacy filter is off; the CSP protects)'],
  ].map(([name, description]) => [name, { description: `Security header (helmet): ${description}`, schema: { type: 'string' } }]),
);

/** The rate limiter's headers for one of its limits (ICP_RATE_LIMIT_*): on answers the limit counted. */
function rateLimitHeaders(name: string, what: string) {
  const header = (suffix: string, description: string) => [
    `X-RateLimit-${suffix}-${name}`,
    { description: `${description} (${what})`, schema: { type: 'integer' } },
  ];
  return Object.fromEntries([
    header('Limit', 'Requests allowed in the window'),
    header('Remaining', 'Requests left in the window'),
    header('Reset', 'Seconds until the window starts anew'),
  ]);
}

/** CORS (only for the origins configured: ICP_CORS_ORIGINS, ICP_CODEC_CORS_ORIGIN for /codec). */
const CORS_HEADERS = {
  Vary: { description: '`Origin` where CORS is configured', schema: { type: 'string' } },
  'Access-Control-Allow-Origin': { description: 'The calling origin, when it is one configured', schema: { type: 'string' } },
  'Access-Control-Allow-Credentials': { description: '`true` on /codec for the Temporal UI origin', schema: { type: 'string' } },
  'Access-Control-Expose-Headers': { description: 'The headers a browser may read (ETag, X-Request-Id, Retry-After)', schema: { type: 'string' } },
};

/**
 * Headers on every answer of every operation. `X-Request-Id` is the request id of the access log
 * (taken from the request or generated, echoed back; the observability work of issue 11 sets it).
 */
const EVERY_RESPONSE_HEADERS = {
  'X-Content-Type-Options': { description: 'Always `nosniff`: a body is only ever what its Content-Type says', schema: { type: 'string', enum: ['nosniff'] } },
  'X-Request-Id': { description: 'The request id: the one sent, or one generated; it names the request in the logs', schema: { type: 'string' } },
  ...SECURITY_HEADERS,
  ...rateLimitHeaders('user', 'callers with a valid token, counted per `sub`'),
  ...rateLimitHeaders('ip', 'calls without a valid token, counted per IP address'),
  ...CORS_HEADERS,
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The published contract, from the controllers' decorators plus the error responses they name. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('icp-cases')
      .setDescription(
        'Case management for ICP filings of foreign enterprises. Every error answers `{code, message, details}`; ' +
          '`details` has one shape per code (see the `…Error` schemas).',
      )
      .setVersion('1')
      .setLicense('UNLICENSED (private)', 'https://example.invalid/icp-cases/licence')
      .addServer('http://127.0.0.1:3000', 'npm start on this machine (PORT)')
      .addTag('cases', 'Filing cases: the facts, their lifecycle and its actions')
      .addTag('documents', 'The documents of a case: uploads, versions, reviews and the checklist')
      .addTag('health', 'Liveness and readiness for orchestrators')
      .addTag('notifications', "Reminders and notices for staff: an officer's own and the officers' queue's, everyone's for a supervisor")
      .addTag('webhooks', 'Signed event deliveries to other systems, each attempt recorded (admin)')
      .addTag('schedules', 'The reminder sweep: its Temporal Schedule and recent runs')
      .build(),
  );
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...errorSchemas() } };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      addErrorResponses(operation);
      for (const response of Object.values(operation.responses)) {
        if (response && !('$ref' in response)) response.headers = { ...response.headers, ...EVERY_RESPONSE_HEADERS };
      }
    }
  }
  // The bearer scheme and each operation's roles (from @Roles / @Public).
  return documentAccess(document);
}

function addErrorResponses(operation: OperationObject): void {
  const extensions = operation as OperationObject & Record<string, unknown>;
  const named = (extensions[ERROR_CODES_EXTENSION] as ApiErrorCode[] | undefined) ?? [];
  delete extensions[ERROR_CODES_EXTENSION];
  const every = extensions['x-public'] ? EVERY_OPERATION : [...EVERY_OPERATION, ...EVERY_PROTECTED_OPERATION];
  const codes = API_ERROR_CODES.filter((code) => named.includes(code) || every.includes(code));
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codes) byStatus.set(API_STATUS_BY_CODE[code], [...(byStatus.get(API_STATUS_BY_CODE[code]) ?? []), code]);
  for (const [status, group] of byStatus) {
    // An answer the operation declared itself for this status (e.g. readiness' 503 body) stands.
    if (operation.responses[String(status)] && !named.some((code) => API_STATUS_BY_CODE[code] === status)) continue;
    const refs = group.map((code) => ({ $ref: `#/components/schemas/${errorSchemaName(code)}` }));
    const response: ResponseObject = {
      description: group.map((code) => `\`${code}\`: ${ERROR_DETAILS[code].description}`).join('; '),
      content: {
        'application/json': {
          schema:
            refs.length === 1
              ? refs[0]
              : { oneOf: refs, discriminator: { propertyName: 'code', mapping: Object.fromEntries(group.map((c, i) => [c, refs[i].$ref])) } },
        },
      },
    };
    if (status === 503 || status === 429) {
      response.headers = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } };
    }
    if (status === 429) {
      // The rate limiter also names the limit that was hit (ICP_RATE_LIMIT_PER_USER / _PER_IP).
      for (const limit of ['user', 'ip']) {
        response.headers = {
          ...response.headers,
          [`Retry-After-${limit}`]: { description: `Seconds until the ${limit} limit lets calls through again`, schema: { type: 'integer' } },
        };
      }
    }
    if (status === 401) {
      response.headers = { 'WWW-Authenticate': { description: 'The scheme to authenticate with (`Bearer`)', schema: { type: 'string' } } };
    }
    operation.responses[String(status)] = response;
  }
  const idempotent = (operation.parameters ?? []).some(
    (p: ParameterObject | ReferenceObject) => 'in' in p && p.in === 'header' && p.name.toLowerCase() === 'idempotency-key',
  );
  if (idempotent) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (!response || Number(status) >= 500 || '$ref' in response) continue;
      response.headers = {
        ...response.headers,
        'Idempotent-Replayed': {
          description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
          schema: { type: 'string', enum: ['true'] },
        },
      };
    }
  }
}
