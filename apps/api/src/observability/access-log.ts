import type { Request, RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { HttpMetrics } from './http-metrics';
import { requestContext } from './request-context';

/** A client's `X-Request-Id` is kept when it is a plain token; otherwise one is generated. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const CASE_PATH = /^\/v1\/cases\/([0-9a-fA-F-]{36})(?:\/|$)/;

/** The route template (`/v1/cases/:id/submit`), never the raw path, so labels stay bounded. */
export function routeOf(req: Request): string {
  const route = (req as Request & { route?: { path?: string } }).route?.path;
  return route ? `${req.baseUrl ?? ''}${route}` : 'unmatched';
}

/**
 * One JSON access-log line per request (method, route, status, duration, request id, actor, case
 * id; no headers or bodies, so nothing personal), the request id echoed in `X-Request-Id`, and the
 * request's duration into the HTTP histogram.
 */
export function accessLog(logger: Logger, metrics: HttpMetrics): RequestHandler {
  const log = pinoHttp({
    logger,
    quietReqLogger: true,
    quietResLogger: true,
    genReqId(req, res) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    serializers: { req: () => undefined, res: () => undefined },
    customProps(req, res) {
      const request = req as Request;
      const route = routeOf(request);
      return {
        method: request.method,
        route,
        status: res.statusCode,
        // The verified token's subject (what the audit trail records); never a header the caller chose.
        actor: (request as Request & { principal?: { sub: string } }).principal?.sub ?? 'anonymous',
        caseId: CASE_PATH.exec(request.originalUrl ?? request.url)?.[1]?.toLowerCase(),
      };
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res) => `${req.method} ${routeOf(req as Request)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${routeOf(req as Request)} ${res.statusCode}`,
    customSuccessObject(req, res, value: Record<string, unknown>) {
      metrics.observe(req.method ?? 'GET', routeOf(req as Request), res.statusCode, Number(value.durationMs ?? 0) / 1000);
      return value;
    },
    customErrorObject(req, res, error, value: Record<string, unknown>) {
      metrics.observe(req.method ?? 'GET', routeOf(req as Request), res.statusCode, Number(value.durationMs ?? 0) / 1000);
      // pino-http invents an Error for a plain 5xx answer; its stack says nothing about the cause.
      if (error.message === `failed with status code ${res.statusCode}`) delete value.err;
      return value;
    },
  });
  // The rest of the request runs with its id at hand, so the Temporal client can pass it on.
  return (req, res, next) => log(req, res, () => requestContext.run({ requestId: String(req.id) }, next));
}

