import { createParamDecorator, ParseUUIDPipe, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ValidationFailedError } from '../../../../libs/domain/src';

/**
 * Who is acting. Until access control lands (bearer JWT, API.md), the caller names itself in
 * `X-Actor`; the audit trail records it.
 */
export const ActorName = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const header = ctx.switchToHttp().getRequest<Request>().header('x-actor')?.trim();
  return header ? header.slice(0, 200) : 'anonymous';
});

export const CaseIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => new ValidationFailedError([{ field: 'id', message: 'id must be a case id (UUID)' }]),
});

/** `If-Match: 7`, `"7"` or `W/"7"`: the version an amendment was made against. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '' || value.trim() === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value.trim());
  if (!match) throw new ValidationFailedError([{ field: 'If-Match', message: 'If-Match must be the case version, e.g. "7"' }]);
  return Number(match[1]);
}
