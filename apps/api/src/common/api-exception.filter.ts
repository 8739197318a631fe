import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ERROR_CODES, type ErrorCode } from '../../../../libs/domain/src';
import { STATUS_BY_CODE, type ErrorBody } from './http-status';
import { fromTemporalError } from './temporal-errors';
import { isDependencyUnavailable } from './dependency-errors';

/** How long a client should wait before retrying a 503 (the dependency may be back by then). */
export const RETRY_AFTER_SECONDS = 2;

/** The JSON body limit of the API (body-parser's `limit`). */
export const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

const fieldError = (field: string, message: string) => [{ field, message }];

/**
 * What Nest, body-parser and multer answer on their own (an unknown route, broken JSON, a multipart
 * fault, a body too large), in the contract's shape with the same `details` as the service's own
 * errors of that code. Any other client error is a 400 VALIDATION_FAILED: the set of codes is closed.
 */
function fromFrameworkError(status: number, message: string, limitBytes?: number): { status: number; body: ErrorBody } {
  switch (status) {
    case 401:
      return { status, body: { code: 'UNAUTHENTICATED', message, details: null } };
    case 403:
      return { status, body: { code: 'FORBIDDEN', message, details: {} } };
    case 404:
      return { status, body: { code: 'ROUTE_NOT_FOUND', message: message.replace(/^Cannot /, 'No route '), details: null } };
    case 413:
      return { status, body: { code: 'PAYLOAD_TOO_LARGE', message, details: { limitBytes: limitBytes ?? JSON_BODY_LIMIT_BYTES } } };
    case 415:
      return { status, body: { code: 'UNSUPPORTED_MEDIA_TYPE', message, details: { accepted: ['application/json'] } } };
    case 429:
      return { status, body: { code: 'RATE_LIMITED', message, details: {} } };
    default:
      return { status: 400, body: { code: 'VALIDATION_FAILED', message: 'The request is not valid', details: fieldError('body', message) } };
  }
}

export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  const domain = error instanceof DomainError ? error : fromTemporalError(error);
  if (domain) {
    return { status: STATUS_BY_CODE[domain.code], body: { code: domain.code, message: domain.message, details: domain.details } };
  }
  if (error instanceof HttpException && error.getStatus() < 500) {
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    return fromFrameworkError(error.getStatus(), message);
  }
  // body-parser's errors reach the filter as they are, with their status and `type`.
  const raw = error as { status?: unknown; type?: unknown; limit?: unknown; message?: unknown };
  if (raw && typeof raw.status === 'number' && raw.status >= 400 && raw.status < 500) {
    const message =
      raw.type === 'entity.parse.failed' ? `The body is not valid JSON (${String(raw.message)})` : String(raw.message ?? 'Bad request');
    return fromFrameworkError(raw.status, message, typeof raw.limit === 'number' ? raw.limit : undefined);
  }
  if (isDependencyUnavailable(error)) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      body: {
        code: 'SERVICE_UNAVAILABLE',
        message:
          'The database is unavailable: a change is not known to be applied; retry with the same Idempotency-Key to apply it at most once',
        details: null,
      },
    };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { code: 'INTERNAL_ERROR', message: 'The server failed to answer; the fault is logged', details: null },
  };
}

/** Maps every error to the contract's shape `{code, message, details}`; only real faults are 5xx. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(error: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    // `req.destroyed` is true for every request whose body was read: only the socket tells.
    if (res.destroyed || res.socket?.destroyed) {
      // The client went away mid-request (an upload cut off): nobody to answer, nothing was stored.
      this.logger.warn(`${req.method} ${req.url}: client disconnected (${error instanceof Error ? error.message : String(error)})`);
      return;
    }
    const { status, body } = toErrorResponse(error);
    if (status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (res.headersSent) {
      res.end();
      return;
    }
    if (status === HttpStatus.SERVICE_UNAVAILABLE && !res.getHeader('Retry-After')) {
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    res.status(status).json(body);
  }
}

export const isErrorCode = (value: unknown): value is ErrorCode => ERROR_CODES.includes(value as ErrorCode);
