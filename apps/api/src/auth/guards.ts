import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';
import { DomainError } from '../../../../libs/domain/src';
import { CaseReadRepository } from '../../../../libs/persistence/src';
import { OWN_CASE_KEY, PUBLIC_KEY, ROLES_KEY } from './decorators';
import type { AuthenticatedRequest, Role } from './principal';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/;

function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [context.getHandler(), context.getClass()]) === true;
}

/**
 * First of the three global guards: reads the bearer token and leaves the verified principal (or
 * why there is none) on the request. It refuses nothing itself, so the rate limiter can count
 * calls with a bad token per IP before the authorisation guard answers 401.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (isPublic(this.reflector, context)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = req.headers.authorization;
    if (!header) {
      req.authError = 'A bearer token is required (Authorization: Bearer <JWT>)';
      return true;
    }
    const match = BEARER.exec(header.trim());
    if (!match) {
      req.authError = 'The Authorization header must be "Bearer <JWT>"';
      return true;
    }
    try {
      req.principal = await this.tokens.verify(match[1]);
    } catch (error) {
      req.authError = error instanceof InvalidTokenError ? error.message : 'The bearer token could not be verified';
    }
    return true;
  }
}

/**
 * Rate limits (@nestjs/throttler): per user for authenticated calls, per IP for the rest, each
 * counted across all routes. Past the limit: 429 RATE_LIMITED with Retry-After (seconds).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return isPublic(this.reflector, context);
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = (req as unknown as AuthenticatedRequest).principal;
    return principal ? `user:${principal.sub}` : `ip:${(req as unknown as AuthenticatedRequest).ip ?? 'unknown'}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(Math.max(1, detail.timeToBlockExpire)));
    throw new DomainError('RATE_LIMITED', `Too many requests: at most ${detail.limit} per ${Math.round(detail.ttl / 1000)} s`, {
      limit: detail.limit,
      retryAfterSeconds: Math.max(1, detail.timeToBlockExpire),
    });
  }
}

/**
 * Last global guard, the one place access is decided: no principal is 401; a route without
 * @Roles is refused to every role (deny by default); a role not listed is 403; and an
 * applicant reaching a case that is not its own gets 404, exactly as for a case that does not exist.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly cases: CaseReadRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (isPublic(this.reflector, context)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = req.principal;
    if (!principal) {
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer');
      throw new DomainError('UNAUTHENTICATED', req.authError ?? 'A bearer token is required');
    }
    const targets = [context.getHandler(), context.getClass()];
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || !roles.includes(principal.role)) {
      throw new DomainError('FORBIDDEN', `The ${principal.role} role may not do this`, { role: principal.role, allowed: roles ?? [] });
    }
    if (principal.role === 'applicant' && this.reflector.getAllAndOverride<boolean>(OWN_CASE_KEY, targets)) {
      const id = req.params?.id;
      // A malformed id is the validation pipe's 400, which says nothing about any case.
      if (typeof id === 'string' && UUID.test(id)) {
        const owner = await this.cases.findOwner(id);
        if (owner === undefined || owner !== principal.applicantId) {
          throw new DomainError('CASE_NOT_FOUND', `No case ${id}`, { id });
        }
      }
    }
    return true;
  }
}
