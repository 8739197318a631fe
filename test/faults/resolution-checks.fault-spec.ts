import { caseApi } from '../support/api';
import { startDnsServer } from '../support/dns-server';
import { driveTo } from '../support/drive';
import { caseBody } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

/**
 * A client that polls the resolution check of a domain that does not resolve, 3 000 times
 * (ICP_FAULT_CHECKS), on the server's own continue-as-new suggestion (no configured budget): every
 * check answers 422 DNS_NOT_RESOLVED, history stays bounded per run, and the case still completes.
 */
describe('3 000 failing resolution checks', () => {
  let h: Harness;
  let dns: Awaited<ReturnType<typeof startDnsServer>>;
  const checks = Number(process.env.ICP_FAULT_CHECKS ?? 3000);

  beforeAll(async () => {
    dns = await startDnsServer({});
    h = await startHarness({ ICP_DNS_SERVERS: dns.address });
  });
  afterAll(async () => {
    await h?.close();
    await dns?.close();
  });

  it('answers every check, keeps history bounded and completes', async () => {
    const api = caseApi(h);
    const id = await driveTo(h, caseBody(), 'RESOLVING');
    const domain = (await api.get(id).expect(200)).body.websites[0].domains[0] as string;
    dns.set({ [domain]: { A: ['203.0.113.7'] } });

    const started = Date.now();
    for (let i = 0; i < checks; i++) {
      const res = await api.act(id, 'resolution');
      if (res.status !== 422) throw new Error(`check ${i + 1} answered ${res.status}: ${JSON.stringify(res.body)}`);
      expect(res.body.details.findings[0].rule).toBe('DNS_NOT_RESOLVED');
    }
    const checkMs = Date.now() - started;

    dns.set({ [domain]: { A: ['47.98.10.20'] } });
    await api.act(id, 'resolution').expect(200);
    await api.act(id, 'psb-filing', { recordNumber: '33010602054321', filedAt: '2026-12-01' }).expect(200);
    const final = await h.temporal.workflow.getHandle(`Case:${id}`).result();
    expect(final).toMatchObject({ stage: 'COMPLETED', allowedActions: [] });

    const runs: { runId: string; historyLength: number }[] = [];
    for await (const wf of h.temporal.workflow.list({ query: `WorkflowId = 'Case:${id}'` })) runs.push({ runId: wf.runId, historyLength: wf.historyLength });
    const events = (await api.events(id).expect(200)).body.items as { type: string }[];
    console.log(
      `${checks} failing checks in ${(checkMs / 1000).toFixed(1)} s (${(checkMs / checks).toFixed(1)} ms each); ` +
        `${runs.length} runs, history lengths ${runs.map((r) => r.historyLength).join(' + ')} = ${runs.reduce((n, r) => n + r.historyLength, 0)} events; ` +
        `${events.length} audit events (${events.filter((e) => e.type === 'resolution.failed').length} resolution.failed)`,
    );
    expect(Math.max(...runs.map((r) => r.historyLength))).toBeLessThan(20_000);
    expect(events.filter((e) => e.type === 'resolution.failed')).toHaveLength(1);
  });
});
