import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface TracingOptions {
  /** `service.name` of the spans (OTEL_SERVICE_NAME overrides it). */
  serviceName: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: spans go there over OTLP/HTTP (`<endpoint>/v1/traces`). */
  otlpEndpoint?: string;
  /** Instead of OTLP: an exporter of one's own (tests pass an InMemorySpanExporter), exported span by span. */
  exporter?: SpanExporter;
}

export interface Tracing {
  readonly tracer: Tracer;
  /** Where finished spans go: the workflow exporter sink of the worker hands its spans here too. */
  readonly processor: SpanProcessor;
  readonly resource: Resource;
  /** Flushes what is batched and stops exporting. */
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/**
 * The process's tracing: off (nothing registered, no interceptor added, no span made) unless an
 * OTLP endpoint or an exporter is given. When on, the tracer provider is registered globally with
 * the AsyncLocalStorage context manager and the W3C trace-context propagator, which is what
 * `@temporalio/interceptors-opentelemetry` uses to carry the trace in Temporal headers.
 */
export function startTracing({ serviceName, otlpEndpoint, exporter }: TracingOptions): Tracing | undefined {
  if (active) return active;
  if (!exporter && !otlpEndpoint) return undefined;
  const resource = new Resource({ 'service.name': process.env.OTEL_SERVICE_NAME || serviceName });
  const processor = exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(new OTLPTraceExporter({ url: traceUrl(otlpEndpoint!) }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  const tracing: Tracing = {
    tracer: trace.getTracer('icp-cases'),
    processor,
    resource,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
      if (active === tracing) active = undefined;
    },
  };
  active = tracing;
  return tracing;
}

/** The tracing started in this process, if any (the Temporal client and worker add their interceptors only then). */
export function activeTracing(): Tracing | undefined {
  return active;
}

/** OTLP/HTTP's rule for the base endpoint variable: traces go to `<endpoint>/v1/traces`. */
function traceUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}
