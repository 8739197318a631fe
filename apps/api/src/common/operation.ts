import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';

/**
 * What one state-changing request carries out, with an id that stays the same when the client
 * retries with the same `Idempotency-Key`: the new case's id (so a re-sent creation attaches to
 * the same workflow start), the Temporal update id of a transition (so the server applies it
 * once and answers a retry with the first outcome), the id of an uploaded document.
 */
export interface Operation {
  readonly id: string;
  /** A value the retry must re-send unchanged (a creation's reference): the first one, remembered with the key. */
  recall<T>(name: string, produce: () => Promise<T>): Promise<T>;
}

const OPERATION = Symbol('operation');
type WithOperation = Request & { [OPERATION]?: Operation };

export function setOperation(req: Request, operation: Operation): void {
  (req as WithOperation)[OPERATION] = operation;
}

/** A request without an Idempotency-Key: a fresh id, nothing remembered (a retry is a new request). */
export function freshOperation(): Operation {
  return { id: randomUUID(), recall: (_name, produce) => produce() };
}

/** The request's operation (see IdempotencyInterceptor). */
export const CurrentOperation = createParamDecorator((_: unknown, ctx: ExecutionContext): Operation => {
  const req = ctx.switchToHttp().getRequest<WithOperation>();
  return (req[OPERATION] ??= freshOperation());
});
