import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { CASE_RESPONSE } from '../openapi/api-responses';

/** The strong entity tag of a case version: `"7"`. */
export const caseETag = (version: number) => `"${version}"`;

/**
 * Every answer that is one case carries `ETag: "<version>"`, whichever route gave it (a read, an
 * action, a replayed idempotent request): the same tag for the same version, and what If-Match takes.
 * Outermost on the controller, so that idempotent replays get it too.
 */
@Injectable()
export class CaseETagInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.reflector.get<boolean>(CASE_RESPONSE, context.getHandler())) return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | undefined)?.version;
        if (typeof version === 'number' && !res.headersSent) res.setHeader('ETag', caseETag(version));
        return body;
      }),
    );
  }
}

/** Whether `If-None-Match` (`"7"`, `W/"7"`, a list, or `*`) names this version. */
export function matchesIfNoneMatch(header: string | undefined, version: number): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === caseETag(version);
  });
}
