import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiHeader, ApiResponse } from '@nestjs/swagger';
import { CaseViewDto } from '../cases/dto';
import type { ApiErrorCode } from './error-schemas';

/** Read by buildOpenApiDocument, which turns the codes into error responses grouped by status. */
export const ERROR_CODES_EXTENSION = 'x-error-codes';

/** The error codes an operation answers besides those every operation can (400, 413, 415, 500). */
export const ApiErrors = (...codes: ApiErrorCode[]) => ApiExtension(ERROR_CODES_EXTENSION, codes);

export const ETAG_HEADER = {
  ETag: { description: 'The case version, e.g. `"7"`: what `If-Match` takes and `If-None-Match` compares', schema: { type: 'string', example: '"7"' } },
};

/** Marks a handler whose answer is a case: the ETag interceptor sets `ETag` from its version. */
export const CASE_RESPONSE = 'icp:case-response';

/** A handler that answers one case (with its ETag). */
export function ApiCaseResponse(status: 200 | 201, description: string) {
  return applyDecorators(SetMetadata(CASE_RESPONSE, true), ApiResponse({ status, description, type: CaseViewDto, headers: ETAG_HEADER }));
}

export const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key and same body answer what the first request answered (errors it caused included), with `Idempotent-Replayed: true`',
    schema: { type: 'string', minLength: 1, maxLength: 200 },
  });

export const ApiActor = () =>
  ApiHeader({ name: 'X-Actor', required: false, description: 'Who acts (recorded in the audit trail; `anonymous` when absent)', schema: { type: 'string' } });
