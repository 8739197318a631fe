import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import cors from 'cors';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../../../../libs/config/src';
import { toErrorResponse } from '../common/api-exception.filter';
import { DomainError } from '../../../../libs/domain/src';
import { BEARER_SCHEME } from './decorators';
import type { TokenVerifier } from './token-verifier';

/**
 * Security headers (helmet), no X-Powered-By, and CORS only where configured: the API for
 * ICP_CORS_ORIGINS, the codec endpoints for the Temporal UI's origin (ICP_CODEC_CORS_ORIGIN),
 * which calls them with the operator's token (`Authorization`) and may send credentials.
 */
export function applyHttpHardening(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  app.use(helmet());
  const { codecCorsOrigin, corsOrigins } = config.security;
  if (codecCorsOrigin) {
    app.use(
      '/codec',
      cors({
        origin: [codecCorsOrigin],
        credentials: true,
        methods: ['POST'],
        allowedHeaders: ['Authorization', 'Content-Type', 'X-Namespace'],
        maxAge: 600,
      }),
    );
  }
  if (corsOrigins.length) {
    app.use(/^\/(v1|docs)/, cors({ origin: corsOrigins, methods: ['GET', 'POST', 'PATCH', 'DELETE'], exposedHeaders: ['ETag', 'X-Request-Id', 'Retry-After'] }));
  }
}

/**
 * The officers' console's Content-Security-Policy (it replaces helmet's on /console): its own
 * bundled scripts and styles only (no inline code, no CDN), calls to this origin, and, when OIDC
 * sign-in is configured, to the identity provider's origin (discovery, token endpoint) and frames
 * of it (silent renewal). `blob:` images and frames: document previews fetched with the token.
 */
export function consoleContentSecurityPolicy(config: AppConfig): string {
  const idp = config.console.oidc ? ` ${new URL(config.console.oidc.authority).origin}` : '';
  const directives = [
    "default-src 'self'",
    "base-uri 'self'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${idp}`,
    `frame-src 'self' blob:${idp}`,
    "object-src 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  // Behind TLS in production; on plain http (development, tests) it would break every asset.
  if (config.security.production) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

/** With AUTH_PUBLIC_DOCS=false, /docs and /docs-json need a valid token (any role) like the API. */
export function protectDocs(app: INestApplication, config: AppConfig, tokens: TokenVerifier): void {
  if (config.security.auth.publicDocs) return;
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!/^\/docs(?:$|[/-])/.test(req.path)) return next();
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    const refuse = () => {
      const { status, body } = toErrorResponse(new DomainError('UNAUTHENTICATED', 'A bearer token is required for the API documentation'));
      res.status(status).setHeader('WWW-Authenticate', 'Bearer').json(body);
    };
    if (!match) return refuse();
    tokens.verify(match[1]).then(() => next(), refuse);
  });
}

/** The bearer scheme, and each operation's roles in its description (from @Roles / @Public). */
export function documentAccess(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    securitySchemes: {
      ...document.components?.securitySchemes,
      [BEARER_SCHEME]: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'HS256 (AUTH_JWT_SECRET) or RS256/ES256 from the identity provider (AUTH_JWKS_URL). Claims: sub, role, applicantId (applicants), exp.',
      },
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      const op = operation as { description?: string; security?: unknown[]; 'x-roles'?: string[]; 'x-public'?: boolean };
      const access = op['x-public']
        ? 'Access: public (no token).'
        : op['x-roles']
          ? `Roles: ${op['x-roles'].join(', ')}.`
          : 'Roles: none (refused to every caller).';
      if (op['x-public']) op.security = [];
      op.description = op.description ? `${op.description}\n\n${access}` : access;
    }
  }
  return document;
}
