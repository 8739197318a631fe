import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError, ValidationFailedError } from '../../../../libs/domain/src';

/** Deeper than any case body needs; far below what would overflow the validator's recursion. */
export const MAX_DEPTH = 32;

/** NUL, or a UTF-16 surrogate without its pair: PostgreSQL cannot store either in text or jsonb. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Finds what no later layer could store or validate, walking iteratively (no recursion to
 * overflow): nesting past MAX_DEPTH, and strings (values or keys) PostgreSQL refuses.
 */
export function unstorable(value: unknown, root: string): { field: string; message: string } | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) return { field: path, message: `${path} must not contain NUL characters or unpaired surrogates` };
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_DEPTH) return { field: path, message: `${root} is nested deeper than ${MAX_DEPTH} levels` };
      for (const [key, child] of Object.entries(v)) {
        const childPath = Array.isArray(v) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
        if (UNSTORABLE.test(key)) return { field: path, message: `${path} has a key with NUL characters or unpaired surrogates` };
        stack.push({ value: child, path: childPath, depth: depth + 1 });
      }
    }
  }
  return null;
}

/** The one route that takes multipart/form-data; every other body is JSON. */
const UPLOAD_ROUTE = /^\/v1\/cases\/[^/]+\/documents\/?$/;

/**
 * Runs before validation: a body in a media type the route does not take is 415, and input that
 * PostgreSQL could not store (or the validator could not walk) is 400 here, never a 500 or a
 * workflow stuck retrying a projection it can never write.
 */
@Injectable()
export class RequestGuardMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    if (hasBody(req)) {
      // originalUrl: `req.path` is relative to where the middleware is mounted.
      const multipart = req.method === 'POST' && UPLOAD_ROUTE.test(req.originalUrl.split('?')[0]);
      const accepted = multipart ? 'multipart/form-data' : 'application/json';
      if (!req.is(multipart ? 'multipart/form-data' : ['application/json', '+json'])) {
        throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `This endpoint takes ${accepted}, not ${req.headers['content-type'] ?? 'an untyped body'}`, {
          accepted: [accepted],
        });
      }
    }
    const problem = unstorable(req.body, 'body') ?? unstorable(req.query, 'query');
    if (problem) throw new ValidationFailedError([problem]);
    next();
  }
}

function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}
