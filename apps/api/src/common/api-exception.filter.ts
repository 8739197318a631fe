import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ERROR_CODES, type ErrorCode } from '../../../../libs/domain/src';
import { STATUS_BY_CODE, type ErrorBody } from './http-status';
import { fromTemporalError } from './temporal-errors';
import { isDependencyUnavailable } from './dependency-errors';

/** How long a client should wait before retrying a 503 (the dependency may be back by then). */
export const RETRY_AFTER_SECONDS = 2;

/** The status Nest's own HTTP exceptions (unknown route, body parser, …) stand for, as contract codes. */
const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  const domain = error instanceof DomainError ? error : fromTemporalError(error);
  if (domain) {
    return { status: STATUS_BY_CODE[domain.code], body: { code: domain.code, message: domain.message, details: domain.details } };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = CODE_BY_STATUS[status] ?? (status === 404 ? 'NOT_FOUND' : status < 500 ? 'BAD_REQUEST' : 'INTERNAL_ERROR');
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? error.message);
    return { status, body: { code, message, details: null } };
  }
  // Body-parser errors that did not become HttpExceptions carry their own status.
  const status = (error as { status?: number; statusCode?: number })?.status ?? (error as { statusCode?: number })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED';
    return { status, body: { code, message: (error as Error).message, details: null } };
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
