import { HttpStatus } from '@nestjs/common';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ERROR_CODES } from '../../../../libs/domain/src';
import { STATUS_BY_CODE } from '../common/http-status';

/** The domain's codes plus the two only HTTP itself produces (a route that does not exist, a fault). */
export const API_ERROR_CODES = [...ERROR_CODES, 'ROUTE_NOT_FOUND', 'INTERNAL_ERROR'] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const API_STATUS_BY_CODE: Record<ApiErrorCode, number> = {
  ...STATUS_BY_CODE,
  ROUTE_NOT_FOUND: HttpStatus.NOT_FOUND,
  INTERNAL_ERROR: HttpStatus.INTERNAL_SERVER_ERROR,
};

const NOTHING: SchemaObject = { type: 'object', nullable: true, enum: [null], description: 'Always null for this code' };
const obj = (properties: Record<string, SchemaObject>, description?: string): SchemaObject => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
  additionalProperties: false,
  ...(description ? { description } : {}),
});
const str: SchemaObject = { type: 'string' };

/**
 * `details` has exactly one shape per code (a Record: a new code does not compile until its shape
 * is written down here, and so published).
 */
export const ERROR_DETAILS: Record<ApiErrorCode, { description: string; details: SchemaObject }> = {
  VALIDATION_FAILED: {
    description: 'The request is malformed: each bad field with the reason',
    details: {
      type: 'array',
      minItems: 1,
      items: obj({
        field: { type: 'string', example: 'websites[0].administrator.email', description: 'Path in the body, or the parameter or header' },
        message: { type: 'string', example: 'email must be an email' },
      }),
    },
  },
  UNAUTHENTICATED: { description: 'No valid credentials', details: NOTHING },
  FORBIDDEN: {
    description: 'The credentials do not allow this',
    details: {
      type: 'object',
      description: 'What the refusal rests on, where known (empty when a guard refused without saying)',
      additionalProperties: false,
      properties: {
        role: { type: 'string', description: 'The caller’s role' },
        allowed: { type: 'array', items: str, description: 'The roles that may' },
        assignee: { type: 'string', nullable: true, description: 'The assignee the caller may not set' },
      },
    },
  },
  CASE_NOT_FOUND: { description: 'No case with this id', details: obj({ id: { type: 'string', format: 'uuid' } }) },
  DOCUMENT_NOT_FOUND: {
    description: 'No document with this id in this case',
    details: obj({ caseId: { type: 'string', format: 'uuid' }, documentId: { type: 'string', format: 'uuid' } }),
  },
  NOTIFICATION_NOT_FOUND: { description: 'No notification with this id', details: obj({ id: { type: 'string', format: 'uuid' } }) },
  WEBHOOK_NOT_FOUND: { description: 'No webhook with this id', details: obj({ id: { type: 'string', format: 'uuid' } }) },
  WEBHOOK_URL_REFUSED: {
    description: 'The webhook URL is not one deliveries may go to (scheme, credentials, or a loopback, link-local or private address not allowed by ICP_WEBHOOK_ALLOW_HOSTS)',
    details: obj({ url: str, addresses: { type: 'array', items: str, description: 'The addresses the host resolved to, where it was resolved' } }),
  },
  DOCUMENT_SUPERSEDED: {
    description: 'Only the current version of a document can be reviewed',
    details: obj({ documentId: { type: 'string', format: 'uuid' }, supersededBy: { type: 'string', format: 'uuid' } }),
  },
  TRANSITION_NOT_ALLOWED: {
    description: 'The action does not apply in the case’s stage',
    details: obj({ stage: { type: 'string', example: 'INITIAL_REVIEW' }, allowed: { type: 'array', items: str } }),
  },
  IDEMPOTENCY_KEY_REUSED: {
    description: 'The Idempotency-Key was used with another body, or its first request is still being answered',
    details: obj({ key: str }),
  },
  VERSION_CONFLICT: {
    description: 'The case moved on since the version the change was made against',
    details: obj({ expected: { type: 'integer' }, actual: { type: 'integer' } }),
  },
  PAYLOAD_TOO_LARGE: { description: 'The body or file is larger than the limit', details: obj({ limitBytes: { type: 'integer' } }) },
  UNSUPPORTED_MEDIA_TYPE: {
    description: 'The body (or file) is of a type this endpoint does not take',
    details: obj({ accepted: { type: 'array', items: str, example: ['application/json'] } }),
  },
  RULE_VIOLATIONS: {
    description: 'The filing breaks rules that block this action',
    details: obj({ findings: { type: 'array', items: { $ref: '#/components/schemas/FindingDto' } } }),
  },
  RATE_LIMITED: {
    description: 'Too many requests',
    details: {
      type: 'object',
      description: 'The limit and when to retry, where known (also in Retry-After)',
      additionalProperties: false,
      properties: { limit: { type: 'integer', description: 'Requests allowed per window' }, retryAfterSeconds: { type: 'integer' } },
    },
  },
  SERVICE_UNAVAILABLE: {
    description:
      'The case workflow or the database did not answer in time, or the API is at its bound of changes in flight (ICP_API_MAX_IN_FLIGHT, refused before anything was sent); retry (with the same Idempotency-Key for a change) after Retry-After',
    details: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      description: 'null, or for the admission bound: the bound that was reached',
      properties: {
        maxInFlight: { type: 'integer', description: 'Changes in flight allowed per API process' },
        retryAfterSeconds: { type: 'integer', description: 'The same as Retry-After' },
      },
    },
  },
  ROUTE_NOT_FOUND: { description: 'No such route', details: NOTHING },
  INTERNAL_ERROR: { description: 'The server failed to answer; the fault is logged', details: NOTHING },
};

export const errorSchemaName = (code: ApiErrorCode) =>
  `${code
    .toLowerCase()
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('')}Error`;

/** One schema per code: `{code, message, details}` with that code's details. */
export function errorSchemas(): Record<string, SchemaObject> {
  return Object.fromEntries(
    API_ERROR_CODES.map((code) => [
      errorSchemaName(code),
      {
        type: 'object',
        description: ERROR_DETAILS[code].description,
        required: ['code', 'message', 'details'],
        additionalProperties: false,
        properties: { code: { type: 'string', enum: [code] }, message: { type: 'string' }, details: ERROR_DETAILS[code].details },
      },
    ]),
  );
}
