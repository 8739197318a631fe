import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../../../../libs/config/src';

/** Requests that (may) call the case workflow: every change under /v1/cases. */
const WORKFLOW_ROUTE = /^\/v1\/cases(\/|$)/;
const CHANGES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** Seconds a refused client should wait: an in-flight call lasts well under that when not overloaded. */
export const ADMISSION_RETRY_AFTER_SECONDS = 1;

/**
 * Admission control: at most ICP_API_MAX_IN_FLIGHT workflow calls (creations, transitions,
 * amendments, uploads) in flight in this process. Past that bound the request is refused at once
 * with 503 and Retry-After, before the idempotency key is reserved or anything is sent to Temporal,
 * so a refused request is never applied. Without it an overload makes every request wait on a
 * queue it cannot get through in time (ICP_UPDATE_TIMEOUT) and answer 503 after it was applied.
 * A counter, not a queue: waiting here would only move the timeout.
 */
@Injectable()
export class AdmissionMiddleware implements NestMiddleware {
  private inFlight = 0;
  constructor(private readonly config: AppConfig) {}

  get current(): number {
    return this.inFlight;
  }

  use(req: Request, res: Response, next: NextFunction): void {
    if (!CHANGES.has(req.method) || !WORKFLOW_ROUTE.test(req.originalUrl.split('?')[0])) return next();
    const limit = this.config.maxInFlight;
    if (this.inFlight >= limit) {
      res.setHeader('Retry-After', String(ADMISSION_RETRY_AFTER_SECONDS));
      // Let Node discard the unread body of a refused upload instead of reading it into memory.
      res.setHeader('Connection', req.readableEnded ? 'keep-alive' : 'close');
      res.status(503).json({
        code: 'SERVICE_UNAVAILABLE',
        message: `The service is at its limit of ${limit} changes in flight; nothing was applied, retry after ${ADMISSION_RETRY_AFTER_SECONDS} s`,
        details: { maxInFlight: limit, retryAfterSeconds: ADMISSION_RETRY_AFTER_SECONDS },
      });
      return;
    }
    this.inFlight++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.inFlight--;
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  }
}
