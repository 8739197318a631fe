import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { Tracing } from '../../../libs/observability/src';

/** Workflow interceptor module of `@temporalio/interceptors-opentelemetry` (in every workflow bundle, so replays see the same code whether tracing is on or off). */
export const TRACING_WORKFLOW_INTERCEPTOR_MODULE = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/**
 * The sink through which the bundled workflow interceptors hand out their spans (RunWorkflow,
 * HandleUpdate, StartActivity): into the process's span processor when tracing is on, dropped
 * when it is off (the sink must exist either way, or the SDK logs an error per activation).
 */
export function tracingSinks(tracing: Tracing | undefined): InjectedSinks<OpenTelemetrySinks> {
  return {
    exporter: tracing ? makeWorkflowExporter(tracing.processor, tracing.resource) : { export: { fn: () => undefined, callDuringReplay: false } },
  };
}

/** RunActivity spans, children of the workflow's StartActivity span (tracing on only). */
export const tracingActivityInterceptor: ActivityInterceptorsFactory = (ctx) => ({
  inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
  outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
});
