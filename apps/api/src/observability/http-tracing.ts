import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { routeOf } from './access-log';

/**
 * The HTTP server span of a request, parent of the Temporal client's spans (StartWorkflow,
 * UpdateWorkflow) the request causes; a `traceparent` header from the caller is continued.
 * Written against the OpenTelemetry API instead of `@opentelemetry/instrumentation-http`: that
 * instrumentation patches `http` through require hooks, so it must load before Nest and does
 * nothing under jest's module registry (where the one-trace test runs); this middleware does the
 * same job the same way in both. Named by the route template once it is known.
 */
export function httpServerSpans(tracer: Tracer): RequestHandler {
  return (req, res, next) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(
      req.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path } },
      parent,
    );
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = routeOf(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      const requestId = res.getHeader('x-request-id');
      if (typeof requestId === 'string') span.setAttribute('icp.request_id', requestId);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    context.with(trace.setSpan(parent, span), next);
  };
}
