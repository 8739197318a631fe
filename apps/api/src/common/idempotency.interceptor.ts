import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { DomainError, type ErrorCode } from '../../../../libs/domain/src';
import type { ErrorBody } from './http-status';
import { IdempotencyRepository } from '../../../../libs/persistence/src';
import { toErrorResponse } from './api-exception.filter';
import type { AuthenticatedRequest } from '../auth/principal';

const WAIT_FOR_FIRST_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `Idempotency-Key` on state-changing POSTs: the same key with the same body answers what the
 * first request answered (errors the client caused included); another body is 409.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly keys: IdempotencyRepository) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const key = req.header('idempotency-key');
    if (req.method !== 'POST' || key === undefined) return next.handle();
    const status: number = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? 201;
    return from(this.handle(req, context.switchToHttp().getResponse<Response>(), key, status, next));
  }

  private async handle(req: Request, res: Response, key: string, status: number, next: CallHandler): Promise<unknown> {
    if (key.length === 0 || key.length > 200) {
      throw new DomainError('VALIDATION_FAILED', 'Idempotency-Key must be 1 to 200 characters', [
        { field: 'Idempotency-Key', message: 'must be 1 to 200 characters' },
      ]);
    }
    // Keys are the caller's own: another user's same key and body must not answer the first user's result.
    const caller = (req as AuthenticatedRequest).principal?.sub ?? '';
    const scope = `${caller} ${req.method} ${req.path}`;
    const hash = createHash('sha256').update(JSON.stringify(req.body ?? null)).digest('hex');
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const reservation = await this.keys.reserve(scope, key, hash);
      if (reservation.state === 'reserved') break;
      if (reservation.state === 'different-request') {
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with another request body', { key });
      }
      if (reservation.state === 'answered') {
        res.setHeader('Idempotent-Replayed', 'true');
        if (reservation.statusCode >= 400) {
          const body = reservation.response as ErrorBody;
          throw new DomainError(body.code as ErrorCode, body.message, body.details);
        }
        return reservation.response;
      }
      if (Date.now() > deadline) {
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'A request with this Idempotency-Key is still being answered', { key });
      }
      await sleep(100);
    }
    try {
      const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.keys.complete(scope, key, status, result);
      return result;
    } catch (error) {
      const failure = toErrorResponse(error);
      if (failure.status < 500) await this.keys.complete(scope, key, failure.status, failure.body);
      else await this.keys.release(scope, key);
      throw error;
    }
  }
}
