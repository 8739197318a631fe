import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { startTracing, type Tracing } from '../libs/observability/src';
import { caseApi, eventually } from './support/api';
import { caseBody } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';

/**
 * Traces as `OTEL_EXPORTER_OTLP_ENDPOINT` turns them on, with the spans kept in memory instead of
 * sent: the API's, the Temporal client's, and (through the worker's sink) the workflow's and
 * activities' spans all reach the one exporter.
 */
describe('one trace from the HTTP request through the Temporal client, the workflow and its activities', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let h: Harness;
  beforeAll(async () => {
    tracing = startTracing({ serviceName: 'icp-cases-test', exporter })!;
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
    await tracing?.shutdown();
  });

  const spans = () => exporter.getFinishedSpans();
  const byId = (trace: ReadableSpan[], id: string | undefined) => trace.find((s) => s.spanContext().spanId === id);
  /** The span's ancestors' names, nearest first. */
  function ancestry(trace: ReadableSpan[], span: ReadableSpan): string[] {
    const names: string[] = [];
    for (let parent = byId(trace, span.parentSpanId); parent; parent = byId(trace, parent.parentSpanId)) names.push(parent.name);
    return names;
  }

  it('an update: HTTP server span → StartWorkflowUpdate (client) → HandleUpdate (workflow) → StartActivity → RunActivity (projection), one trace id', async () => {
    const api = caseApi(h);
    const created = await api.create(caseBody()).expect(201);
    const caseId: string = created.body.id;
    await api.act(caseId, 'withdraw', { reason: 'walked away' }, { 'X-Request-Id': 'traced-withdraw' }).expect(200);

    const server = await eventually(
      async () => spans().find((s) => s.kind === SpanKind.SERVER && s.attributes['icp.request_id'] === 'traced-withdraw'),
      (s) => s !== undefined,
    );
    expect(server!.name).toBe('POST /v1/cases/:id/withdraw');
    expect(server!.attributes).toMatchObject({ 'http.route': '/v1/cases/:id/withdraw', 'http.response.status_code': 200 });
    const traceId = server!.spanContext().traceId;
    const trace = await eventually(
      async () => spans().filter((s) => s.spanContext().traceId === traceId),
      (t) => t.some((s) => s.name.startsWith('RunActivity:')),
    );

    const client = trace.find((s) => s.name === 'StartWorkflowUpdate:withdrawCase');
    const handler = trace.find((s) => s.name === 'HandleUpdate:withdrawCase');
    const activity = trace.find((s) => s.name === 'RunActivity:projectCase');
    expect(trace.map((s) => s.name)).toEqual(expect.arrayContaining(['StartWorkflowUpdate:withdrawCase', 'HandleUpdate:withdrawCase', 'RunActivity:projectCase']));
    // Each hop a descendant of the one before, up to the server span.
    expect(ancestry(trace, client!)).toEqual(['POST /v1/cases/:id/withdraw']);
    expect(ancestry(trace, handler!)).toEqual(['StartWorkflowUpdate:withdrawCase', 'POST /v1/cases/:id/withdraw']);
    expect(ancestry(trace, activity!)).toEqual(['StartActivity:projectCase', 'HandleUpdate:withdrawCase', 'StartWorkflowUpdate:withdrawCase', 'POST /v1/cases/:id/withdraw']);
    // The worker's spans carry its resource; the API's the process's.
    expect(activity!.resource.attributes['service.name']).toBe('icp-cases-test');
  });

  it('a creation (update-with-start): HTTP server span → UpdateWithStartWorkflow → RunWorkflow → StartActivity → RunActivity, one trace id', async () => {
    const created = await caseApi(h).create(caseBody(), { 'X-Request-Id': 'traced-create' }).expect(201);
    // RunWorkflow ends (and is exported) when the workflow does: close the case.
    await caseApi(h).act(created.body.id, 'withdraw', { reason: 'walked away' }).expect(200);
    await h.temporal.workflow.getHandle(`Case:${created.body.id}`).result();
    const server = spans().find((s) => s.kind === SpanKind.SERVER && s.attributes['icp.request_id'] === 'traced-create');
    expect(server).toBeDefined();
    const traceId = server!.spanContext().traceId;
    const trace = await eventually(
      async () => spans().filter((s) => s.spanContext().traceId === traceId),
      (t) => t.some((s) => s.name.startsWith('RunWorkflow:')),
    );
    const run = trace.find((s) => s.name.startsWith('RunWorkflow:'))!;
    expect(ancestry(trace, run)).toEqual(['UpdateWithStartWorkflow:openCase', 'POST /v1/cases']);
    const activities = trace.filter((s) => s.name === 'RunActivity:projectCase');
    expect(activities.length).toBeGreaterThan(0);
    for (const activity of activities) expect(ancestry(trace, activity)).toEqual(expect.arrayContaining([run.name, 'POST /v1/cases']));
  });
});
