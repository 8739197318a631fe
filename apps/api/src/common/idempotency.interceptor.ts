import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { AppConfig } from '../../../../libs/config/src';
import { DomainError, type ErrorCode } from '../../../../libs/domain/src';
import type { ErrorBody } from './http-status';
import { IdempotencyRepository } from '../../../../libs/persistence/src';
import { toErrorResponse } from './api-exception.filter';
import type { AuthenticatedRequest } from '../auth/principal';
import { setOperation } from './operation';

const WAIT_FOR_FIRST_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `Idempotency-Key` on state-changing POSTs. The same key with the same request answers what the
 * first request answered (errors the client caused included); another request is 409.
 *
 * A key stands for one operation whose id never changes (see `Operation`). A request answered
 * 5xx keeps the key: its effect is unknown, and the retry takes the key over and re-sends the
 * same operation, so it is applied at most once and the retry learns its outcome. A key whose
 * holder died is taken over once its lease (ICP_IDEMPOTENCY_LEASE) has run out. Keys are
 * forgotten after ICP_IDEMPOTENCY_TTL (checked at reservation, and purged by IdempotencyPurger).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly config: AppConfig,
  ) {}

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
    // Routes are case-insensitive (and case ids are normalised to lower case).
    const caller = (req as AuthenticatedRequest).principal?.sub ?? '';
    const scope = `${caller} ${req.method} ${req.path.toLowerCase()}`;
    const hash = requestHash(req);
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    let operationId: string;
    for (;;) {
      const reservation = await this.keys.reserve(scope, key, hash, this.config.idempotencyLeaseMs, this.config.idempotencyTtlMs);
      if (reservation.state === 'reserved') {
        operationId = reservation.operationId;
        const remembered = { ...reservation.remembered };
        setOperation(req, {
          id: operationId,
          recall: async <T>(name: string, produce: () => Promise<T>): Promise<T> => {
            if (name in remembered) return remembered[name] as T;
            const value = await produce();
            await this.keys.remember(scope, key, operationId, name, value);
            remembered[name] = value;
            return value;
          },
        });
        break;
      }
      if (reservation.state === 'different-request') {
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with another request', { key });
      }
      if (reservation.state === 'answered') {
        res.setHeader('Idempotent-Replayed', 'true');
        if (reservation.statusCode >= 400) {
          const body = reservation.response as ErrorBody;
          throw new DomainError(body.code as ErrorCode, body.message, body.details);
        }
        res.status(reservation.statusCode);
        return reservation.response;
      }
      if (Date.now() > deadline) {
        const retryAfterSeconds = Math.max(1, Math.ceil(reservation.leasedForMs / 1000));
        res.setHeader('Retry-After', String(retryAfterSeconds));
        throw new DomainError(
          'IDEMPOTENCY_KEY_REUSED',
          'A request with this Idempotency-Key is still being answered; retry with the same key to learn its outcome',
          { key, retryAfterSeconds },
        );
      }
      await sleep(Math.min(200, Math.max(20, reservation.leasedForMs)));
    }
    let result: unknown;
    try {
      result = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      const failure = toErrorResponse(error);
      if (failure.status < 500) await this.keys.complete(scope, key, operationId, failure.status, failure.body);
      else await this.keys.letGo(scope, key, operationId).catch((e: unknown) => this.logger.warn(`could not let go of key: ${String(e)}`));
      throw error;
    }
    // If this fails (the database is down) the key stays leased; the retry re-sends the operation.
    await this.keys.complete(scope, key, operationId, res.statusCode >= 200 && res.statusCode < 300 ? res.statusCode : status, result);
    return result;
  }
}

/** The request's identity: its JSON body, and for an upload the file's name and bytes. */
export function requestHash(req: { body?: unknown }): string {
  const file = (req as { file?: { originalname: string; buffer: Buffer } }).file;
  if (!file) return createHash('sha256').update(JSON.stringify(req.body ?? null)).digest('hex');
  const sha256 = createHash('sha256').update(file.buffer).digest('hex');
  const payload = JSON.stringify({ body: req.body ?? null, file: { name: file.originalname, sha256 } });
  return createHash('sha256').update(payload).digest('hex');
}
