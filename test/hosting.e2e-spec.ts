import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { precheckLookupKey } from '../apps/api/src/cases/cases.service';
import { hostingLookupWorkflowId } from '../libs/contracts/src';
import { caseApi, eventually } from './support/api';
import {
  cloudError,
  describeInstancesAnswer,
  describeUserDomainsAnswer,
  ecsInstance,
  startFakeAlibabaCloudApi,
  type FakeAlibabaCloudApi,
} from './support/alibaba-cloud-api';
import { caseBody } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';

/** An instance as the account describes it; or the account refuses, throttles once, or fails every call. */
type Live = Parameters<typeof ecsInstance>[1] | 'DENIED' | 'THROTTLED_ONCE' | 'UNAVAILABLE';

/** A China date `days` from today, as ExpiredTime (UTC, to the minute: 16:00Z ends that China day). */
function expiredTimeIn(days: number): { expiredTime: string; chinaDate: string } {
  const day = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const previous = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return { expiredTime: `${previous}T16:00Z`, chinaDate: day };
}

/**
 * The hosting checks end to end: API, workflow, the verifyHosting activity with the official SDKs,
 * and a local endpoint answering as the Alibaba Cloud RPC API does, on real Postgres and Temporal.
 */
describe('hosting facts from the cloud account', () => {
  let h: Harness;
  let cloud: FakeAlibabaCloudApi;
  let api: ReturnType<typeof caseApi>;
  /** What the account says of each instance id (absent: the account has no such instance). */
  const live = new Map<string, Live>();
  /** Instances whose DescribeInstances answer waits until the promise settles (then: as typed in). */
  const holds = new Map<string, Promise<void>>();
  /** The domains the account's CDN accelerates. */
  const cdnDomains = new Map<string, { coverage: string; cname: string }>();

  beforeAll(async () => {
    cloud = await startFakeAlibabaCloudApi();
    cloud.handle((call) => {
      if (call.action === 'DescribeInstances') {
        const ids = JSON.parse(call.params.InstanceIds) as string[];
        const held = ids.map((id) => holds.get(id)).find(Boolean);
        if (held) return held.then(() => describeInstancesAnswer(ids.map((id) => ecsInstance(id, { chargeType: 'PrePaid', expiredTime: '2030-11-29T16:00Z', publicIp: '47.98.1.2' }))));
        if (ids.some((id) => live.get(id) === 'DENIED')) {
          return cloudError(403, 'Forbidden.RAM', 'User not authorized to operate on the specified resource, or this API does not support RAM.');
        }
        const throttled = ids.find((id) => live.get(id) === 'THROTTLED_ONCE');
        if (throttled) {
          live.set(throttled, { chargeType: 'PrePaid', expiredTime: '2030-11-29T16:00Z' });
          return cloudError(400, 'Throttling.User', 'Request was denied due to user flow control.');
        }
        if (ids.some((id) => live.get(id) === 'UNAVAILABLE')) {
          return cloudError(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.');
        }
        return describeInstancesAnswer(ids.filter((id) => live.has(id)).map((id) => ecsInstance(id, live.get(id) as Parameters<typeof ecsInstance>[1])));
      }
      if (call.action === 'DescribeUserDomains') {
        const found = cdnDomains.get(call.params.DomainName);
        return describeUserDomainsAnswer(found ? [{ domain: call.params.DomainName, ...found }] : []);
      }
      return undefined;
    });
    h = await startHarness({
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI-e2e',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret',
      ICP_ALIBABA_CLOUD_ENDPOINT: cloud.endpoint,
      ICP_ALIBABA_CLOUD_REGIONS: 'cn-hangzhou',
      ICP_ENFORCE_DOCUMENTS: 'false',
    });
    api = caseApi(h);
  });
  afterAll(async () => {
    await h?.close();
    await cloud?.close();
  });

  /** Opens a case on a fresh instance the account has as typed in, and waits for PREPARING's check. */
  async function openAgreeing(): Promise<{ id: string; instanceId: string }> {
    const instanceId = `i-bp${Math.random().toString(36).slice(2, 10)}`;
    const body = caseBody();
    body.hosting.instances[0].instanceId = instanceId;
    body.hosting.instances[0].expiresAt = '2030-11-30';
    live.set(instanceId, { chargeType: 'PrePaid', expiredTime: '2030-11-29T16:00Z', publicIp: '47.98.1.2' });
    const { body: created } = await api.create(body).expect(201);
    await eventually(
      () => api.events(created.id),
      (r) => r.body.items.some((e: { type: string }) => e.type === 'hosting.verified'),
    );
    return { id: created.id, instanceId };
  }

  const rules = (findings: { rule: string }[]) => findings.map((f) => f.rule);

  /** The runs of a hosting lookup workflow, once visibility lists at least one. */
  const lookupRuns = (workflowId: string): Promise<string[]> =>
    eventually(
      async () => {
        const found: string[] = [];
        for await (const w of h.temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` })) found.push(w.runId);
        return found;
      },
      (found) => found.length > 0,
    );

  it('checks in PREPARING: the live facts agree, nothing is found, and the calls are DescribeInstances and DescribeUserDomains', async () => {
    const { id, instanceId } = await openAgreeing();
    const { body } = await api.get(id).expect(200);
    expect(rules(body.findings)).not.toContain('INSTANCE_FACTS_CHANGED');
    const calls = cloud.calls.filter((c) => c.params.InstanceIds?.includes(instanceId));
    expect(calls[0]).toMatchObject({ action: 'DescribeInstances', version: '2014-05-26', params: { RegionId: 'cn-hangzhou' } });
    expect(cloud.calls.some((c) => c.action === 'DescribeUserDomains' && c.version === '2018-05-10')).toBe(true);
  });

  it('a billing switched to pay-as-you-go is found before submission: 422 with both values', async () => {
    const { id, instanceId } = await openAgreeing();
    live.set(instanceId, { chargeType: 'PostPaid', publicIp: '47.98.1.2' });
    const refused = await api.act(id, 'submit').expect(422);
    expect(refused.body.code).toBe('RULE_VIOLATIONS');
    const found = refused.body.details.findings as { rule: string; message: string; severity: string }[];
    expect(rules(found)).toEqual(expect.arrayContaining(['INSTANCE_FACTS_CHANGED', 'INSTANCE_PAY_AS_YOU_GO']));
    expect(found.find((f) => f.rule === 'INSTANCE_FACTS_CHANGED' && /billing/.test(f.message))?.message).toMatch(/SUBSCRIPTION.*PAY_AS_YOU_GO/);
    expect((await api.get(id).expect(200)).body.stage).toBe('PREPARING');
  });

  it('an instance expiring within three months refuses submission', async () => {
    const { id, instanceId } = await openAgreeing();
    const soon = expiredTimeIn(60);
    live.set(instanceId, { chargeType: 'PrePaid', expiredTime: soon.expiredTime, publicIp: '47.98.1.2' });
    const refused = await api.act(id, 'submit').expect(422);
    expect(rules(refused.body.details.findings)).toEqual(expect.arrayContaining(['INSTANCE_FACTS_CHANGED', 'INSTANCE_SUBSCRIPTION_TOO_SHORT']));
    expect(refused.body.details.findings.map((f: { message: string }) => f.message).join('\n')).toContain(soon.chinaDate);
  });

  it('an instance the account does not have is INSTANCE_NOT_FOUND', async () => {
    const { id, instanceId } = await openAgreeing();
    live.delete(instanceId);
    const refused = await api.act(id, 'submit').expect(422);
    expect(rules(refused.body.details.findings)).toContain('INSTANCE_NOT_FOUND');
  });

  it('an officer refreshes the hosting: the live facts go into the case, audited with actor and differences, and it can be submitted', async () => {
    const { id, instanceId } = await openAgreeing();
    const later = expiredTimeIn(800);
    live.set(instanceId, { chargeType: 'PrePaid', expiredTime: later.expiredTime, eip: '39.96.5.6' });
    const refreshed = await api.act(id, 'hosting/refresh').expect(200);
    expect(refreshed.body.hosting.instances[0]).toMatchObject({ instanceId, expiresAt: later.chinaDate, publicIp: '39.96.5.6', billing: 'SUBSCRIPTION' });
    expect(rules(refreshed.body.findings)).not.toContain('INSTANCE_FACTS_CHANGED');
    const { body: events } = await api.events(id).expect(200);
    const event = events.items.find((e: { type: string }) => e.type === 'hosting.refreshed');
    expect(event).toMatchObject({
      actor: 'officer.zhang',
      data: {
        differences: expect.arrayContaining([
          { path: 'hosting.instances[0].expiresAt', from: '2030-11-30', to: later.chinaDate },
          { path: 'hosting.instances[0].publicIp', from: '47.98.1.2', to: '39.96.5.6' },
        ]),
      },
    });
    const submitted = await api.act(id, 'submit').expect(200);
    expect(submitted.body.stage).toBe('INITIAL_REVIEW');
  });

  it('a withdrawal that arrives while PREPARING\u2019s check still waits on the account closes the case once the account answers', async () => {
    const instanceId = `i-bp${Math.random().toString(36).slice(2, 10)}`;
    let answer!: () => void;
    holds.set(instanceId, new Promise<void>((resolve) => (answer = resolve)));
    const body = caseBody();
    body.hosting.instances[0].instanceId = instanceId;
    body.hosting.instances[0].expiresAt = '2030-11-30';
    const { body: created } = await api.create(body).expect(201);
    await eventually(
      async () => cloud.calls.some((c) => c.action === 'DescribeInstances' && c.params.InstanceIds.includes(instanceId)),
      (asked) => asked,
    );
    // The withdrawal is accepted at once and waits for the check, which holds the case's queue.
    // then() sends it now (supertest sends on then), while the test goes on to watch the history.
    const withdrawn = api.act(created.id, 'withdraw', { reason: 'walked away' }).then((r) => r);
    const handle = h.temporal.workflow.getHandle(`Case:${created.id}`);
    await eventually(
      async () => (await handle.fetchHistory()).events!.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes),
      (accepted) => accepted,
    );
    answer();
    expect((await withdrawn).status).toBe(200);
    await eventually(async () => (await handle.describe()).status.name, (status) => status === 'COMPLETED', 20_000);
  });

  it('a permission error is a clear finding, never a stuck case', async () => {
    const { id, instanceId } = await openAgreeing();
    live.set(instanceId, 'DENIED');
    const refused = await api.act(id, 'hosting/refresh').expect(422);
    expect(refused.body.details.findings).toEqual([
      expect.objectContaining({ rule: 'CLOUD_FACTS_UNVERIFIED', message: expect.stringContaining('Forbidden.RAM') }),
    ]);
    // The typed-in facts stand: the case is submitted, with the warning on it.
    const submitted = await api.act(id, 'submit').expect(200);
    expect(submitted.body.stage).toBe('INITIAL_REVIEW');
    expect(submitted.body.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'CLOUD_FACTS_UNVERIFIED', severity: 'WARNING' })]));
  });

  describe('a case opened from instance ids alone', () => {
    const newId = () => `i-bp${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    /** A case body that names its instance by id only: no region, billing, expiry or IP typed in. */
    const byIds = (instanceIds: string[], extra: Record<string, unknown> = {}) => {
      const body = caseBody();
      return { ...body, hosting: { instanceIds, slb: body.hosting.slb, ...extra } };
    };

    it('opens with the live facts, says where they came from, and refuses the submission once the instance is pay-as-you-go', async () => {
      const instanceId = newId();
      live.set(instanceId, { chargeType: 'PrePaid', expiredTime: '2030-11-29T16:00Z', eip: '39.96.5.6', regionId: 'cn-shanghai' });
      const { body: created } = await api.create(byIds([instanceId])).expect(201);
      expect(created.stage).toBe('PREPARING');
      expect(created.hosting.instances).toEqual([
        // CreationTime 2026-11-29 to ExpiredTime 2030-11-30 (China dates): 48 months bought.
        { product: 'ECS', instanceId, regionId: 'cn-shanghai', billing: 'SUBSCRIPTION', subscriptionMonths: 48, expiresAt: '2030-11-30', publicIp: '39.96.5.6', serviceCodesUsed: 0 },
      ]);
      expect(created.findings.filter((f: { severity: string }) => f.severity === 'BLOCKING')).toEqual([]);
      const { body: events } = await api.events(created.id).expect(200);
      expect(events.items[0]).toMatchObject({
        type: 'case.created',
        actor: 'officer.zhang',
        data: {
          hostingSource: { from: 'CLOUD_ACCOUNT', instanceIds: [instanceId], cdnDomains: ['contoso.cn'], lookup: expect.stringMatching(/^HostingLookup:/) },
        },
      });
      const lookup = cloud.calls.find((c) => c.action === 'DescribeInstances' && JSON.parse(c.params.InstanceIds).includes(instanceId));
      expect(lookup).toMatchObject({ version: '2014-05-26', params: { RegionId: 'cn-hangzhou', MaxResults: '100' }, signed: true });

      live.set(instanceId, { chargeType: 'PostPaid', eip: '39.96.5.6', regionId: 'cn-shanghai' });
      const refused = await api.act(created.id, 'submit').expect(422);
      expect(rules(refused.body.details.findings)).toEqual(expect.arrayContaining(['INSTANCE_FACTS_CHANGED', 'INSTANCE_PAY_AS_YOU_GO']));
    });

    it('filingInstanceIds: a pay-as-you-go backend named beside the filing instance is context, and the case is submitted', async () => {
      const web = newId();
      const backend = newId();
      live.set(web, { chargeType: 'PrePaid', expiredTime: '2030-11-29T16:00Z' });
      live.set(backend, { chargeType: 'PostPaid' });
      const { body: created } = await api.create(byIds([web, backend], { filingInstanceIds: [web] })).expect(201);
      expect(created.hosting.instances.map((i: { instanceId: string; usedForFiling?: boolean }) => [i.instanceId, i.usedForFiling])).toEqual([
        [web, true],
        [backend, false],
      ]);
      expect(created.findings.filter((f: { severity: string }) => f.severity === 'BLOCKING')).toEqual([]);
      const submitted = await api.act(created.id, 'submit').expect(200);
      expect(submitted.body.stage).toBe('INITIAL_REVIEW');
      const stray = await api.create(byIds([web], { filingInstanceIds: [backend] })).expect(400);
      expect(stray.body.details).toEqual([expect.objectContaining({ field: 'hosting.filingInstanceIds' })]);
    });

    it('an instance expiring within three months opens with the blocking finding, and the submission is refused', async () => {
      const instanceId = newId();
      const soon = expiredTimeIn(60);
      live.set(instanceId, { chargeType: 'PrePaid', expiredTime: soon.expiredTime });
      const { body: created } = await api.create(byIds([instanceId])).expect(201);
      expect(created.hosting.instances[0].expiresAt).toBe(soon.chinaDate);
      expect(created.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'INSTANCE_SUBSCRIPTION_TOO_SHORT', severity: 'BLOCKING' })]));
      const refused = await api.act(created.id, 'submit').expect(422);
      expect(rules(refused.body.details.findings)).toContain('INSTANCE_SUBSCRIPTION_TOO_SHORT');
    });

    it('reads the named CDN domain’s Coverage and Cname into the case', async () => {
      const instanceId = newId();
      live.set(instanceId, { chargeType: 'PrePaid', expiredTime: '2030-11-29T16:00Z' });
      cdnDomains.set('static.contoso.cn', { coverage: 'global', cname: 'static.contoso.cn.w.kunlunsl.com' });
      const { body: created } = await api.create(byIds([instanceId], { cdnDomain: 'static.contoso.cn' })).expect(201);
      expect(created.hosting.cdn).toEqual({ accelerationRegion: 'GLOBAL', cname: 'static.contoso.cn.w.kunlunsl.com', domain: 'static.contoso.cn' });
      const asked = cloud.calls.filter((c) => c.action === 'DescribeUserDomains' && c.params.DomainName === 'static.contoso.cn');
      expect(asked[0]).toMatchObject({ version: '2018-05-10', params: { DomainSearchType: 'full_match', PageNumber: '1' } });

      // Later looks ask the named domain too: PREPARING's check, a refresh and the submission find the CDN as it is.
      await eventually(
        () => api.events(created.id),
        (r) => r.body.items.some((e: { type: string }) => e.type === 'hosting.verified'),
      );
      const verified = (await api.get(created.id).expect(200)).body;
      expect(rules(verified.findings)).not.toContain('INSTANCE_FACTS_CHANGED');
      const refreshed = await api.act(created.id, 'hosting/refresh').expect(200);
      expect(refreshed.body.hosting.cdn).toEqual(created.hosting.cdn);
      const submitted = await api.act(created.id, 'submit').expect(200);
      expect(submitted.body.stage).toBe('INITIAL_REVIEW');
      expect(cloud.calls.filter((c) => c.action === 'DescribeUserDomains' && c.params.DomainName === 'static.contoso.cn').length).toBeGreaterThanOrEqual(4);
    });

    it('an id the account does not have: 422 INSTANCE_NOT_FOUND and nothing opened; a precheck answers the finding', async () => {
      const known = newId();
      const unknown = newId();
      live.set(known, { chargeType: 'PrePaid', expiredTime: '2030-11-29T16:00Z' });
      const body = byIds([known, unknown]);
      const refused = await api.create(body).expect(422);
      expect(refused.body).toMatchObject({
        code: 'RULE_VIOLATIONS',
        details: { findings: [expect.objectContaining({ rule: 'INSTANCE_NOT_FOUND', path: 'hosting.instanceIds[1]', message: expect.stringContaining(unknown) })] },
      });
      const { body: page } = await h.http.get('/v1/cases').query({ q: body.applicant.name }).expect(200);
      expect(page.items).toEqual([]);

      const { body: precheck } = await h.http.post('/v1/precheck').send(body).expect(200);
      expect(precheck.hosting.instances.map((i: { instanceId: string }) => i.instanceId)).toEqual([known]);
      expect(precheck.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'INSTANCE_NOT_FOUND', path: 'hosting.instanceIds[1]' })]));
      expect(precheck.filingRequired).toBe(true);
    });

    it('a permission error is a clear 422, for a precheck too', async () => {
      const instanceId = newId();
      live.set(instanceId, 'DENIED');
      for (const path of ['/v1/cases', '/v1/precheck']) {
        const refused = await h.http.post(path).send(byIds([instanceId])).expect(422);
        expect(refused.body.details.findings).toEqual([
          expect.objectContaining({ rule: 'CLOUD_FACTS_UNVERIFIED', path: 'hosting.instanceIds', message: expect.stringContaining('Forbidden.RAM') }),
        ]);
      }
    });

    it('throttling backs off and the case opens; an account that keeps failing is a 503, and nothing is opened', async () => {
      const throttled = newId();
      live.set(throttled, 'THROTTLED_ONCE');
      const { body: created } = await api.create(byIds([throttled])).expect(201);
      expect(created.hosting.instances[0]).toMatchObject({ instanceId: throttled, billing: 'SUBSCRIPTION' });
      const attempts = cloud.calls.filter((c) => c.action === 'DescribeInstances' && c.params.InstanceIds === JSON.stringify([throttled]));
      expect(attempts.length).toBeGreaterThanOrEqual(2);

      const failing = newId();
      live.set(failing, 'UNAVAILABLE');
      const body = byIds([failing]);
      const unavailable = await api.create(body, { 'Idempotency-Key': randomUUID() }).expect(503);
      expect(unavailable.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('cloud account') });
      expect(unavailable.headers['retry-after']).toBeDefined();
      const { body: page } = await h.http.get('/v1/cases').query({ q: body.applicant.name }).expect(200);
      expect(page.items).toEqual([]);
    });

    it('a retry of a creation the first attempt opened answers the case, without reading the cloud account again', async () => {
      const instanceId = newId();
      live.set(instanceId, { chargeType: 'PrePaid', expiredTime: '2030-11-29T16:00Z' });
      const key = randomUUID();
      const body = byIds([instanceId]);
      const { body: created } = await api.create(body, { 'Idempotency-Key': key }).expect(201);
      // What an answer lost to a 503 leaves: the key kept with its operation, no response stored.
      await h.app.get(DataSource).query('UPDATE idempotency_keys SET status_code = NULL, response = NULL, leased_until = now() WHERE key = $1', [key]);
      // Were the account read again, the retry would be refused (422) rather than answer the case.
      live.set(instanceId, 'DENIED');
      const retried = await api.create(body, { 'Idempotency-Key': key }).expect(201);
      expect(retried.body).toMatchObject({ id: created.id, reference: created.reference });
      // And no second look was started. (Counted in runs, not in calls to the account: an activity is
      // at-least-once, and a loaded server may hand the first look's task out twice.)
      expect(await lookupRuns(hostingLookupWorkflowId(created.id))).toHaveLength(1);
      // An unknown province is a 400 before any look at the account.
      const before = cloud.calls.length;
      await api.create({ ...byIds([newId()]), submissionProvince: 'CN-XX' }).expect(400);
      expect(cloud.calls.length).toBe(before);
    });

    it('a precheck’s look is keyed on who asks and what: a repeat in flight attaches to it, and its 503 speaks of prechecks', async () => {
      const failing = newId();
      live.set(failing, 'UNAVAILABLE');
      const body = byIds([failing]);
      const answers = await Promise.all([1, 2].map(() => h.http.post('/v1/precheck').send(body).expect(503)));
      for (const { body: answer } of answers) {
        expect(answer).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('precheck again') });
        expect(answer.message).not.toContain('Idempotency-Key');
      }
      expect(await lookupRuns(hostingLookupWorkflowId(precheckLookupKey('officer.zhang', [failing], ['contoso.cn'])))).toHaveLength(1);
    });

    it('the body names its instances one way: both, neither, or ids in an amendment are 400', async () => {
      const body = caseBody();
      const both = await api.create({ ...body, hosting: { ...body.hosting, instanceIds: ['i-bp1abc'] } }).expect(400);
      expect(both.body.details).toEqual([expect.objectContaining({ field: 'hosting.instanceIds' })]);
      const neither = await api.create({ ...body, hosting: { slb: body.hosting.slb } }).expect(400);
      expect(neither.body.details).toEqual([expect.objectContaining({ field: 'hosting.instances' })]);
      const badId = await api.create({ ...body, hosting: { instanceIds: ['i bad'] } }).expect(400);
      expect(badId.body.details).toEqual([expect.objectContaining({ field: 'hosting.instanceIds' })]);
      const { id } = await openAgreeing();
      const amended = await api.amend(id, { hosting: { instanceIds: ['i-bp1abc'] } }).expect(400);
      expect(amended.body.details).toEqual([expect.objectContaining({ field: 'hosting.instanceIds', message: expect.stringContaining('hosting/refresh') })]);
    });
  });

  describe('after approval: the reminder sweep watches the instances', () => {
    /** A case approved by MIIT (RESOLVING: its workflow runs on), on an instance the account has as typed in. */
    async function approved(): Promise<{ id: string; instanceId: string }> {
      const opened = await openAgreeing();
      await api.act(opened.id, 'submit').expect(200);
      await api.act(opened.id, 'initial-review', { decision: 'APPROVED' }).expect(200);
      await api.act(opened.id, 'sms-verification').expect(200);
      const { body } = await api.act(opened.id, 'miit-decision', { decision: 'APPROVED', icpNumber: '浙ICP备2026004321号-1' }).expect(200);
      expect(body.stage).toBe('RESOLVING');
      return opened;
    }
    const sweep = () =>
      h.temporal.workflow.execute('reminderSweepWorkflow', {
        taskQueue: h.config.temporal.taskQueue,
        workflowId: `reminder-sweep-test-${randomUUID()}`,
        args: [{ hostingPageSize: 2 }],
      }) as Promise<{ hosting: Record<string, number | string> }>;
    const notifications = async (caseId: string) =>
      (await h.as({ role: 'supervisor' }).get('/v1/notifications').query({ caseId }).expect(200)).body.items as { rule: string; kind: string; deadline: string; message: string }[];

    it('a released or pay-as-you-go instance puts the filing at risk; a renewal comes from the real ExpiredTime', async () => {
      const payg = await approved();
      const released = await approved();
      const renewing = await approved();
      live.set(payg.instanceId, { chargeType: 'PostPaid', publicIp: '47.98.1.2' });
      live.delete(released.instanceId);
      const soon = expiredTimeIn(10);
      live.set(renewing.instanceId, { chargeType: 'PrePaid', expiredTime: soon.expiredTime, publicIp: '47.98.1.2' });

      const result = await sweep();
      expect(result.hosting).toMatchObject({ outcome: 'CHECKED', failed: 0 });
      expect(result.hosting.scanned as number).toBeGreaterThanOrEqual(3);
      // Paged (two cases a call), every page one DescribeInstances per region for all its ids.
      expect(result.hosting.signalled as number).toBeGreaterThanOrEqual(3);

      expect(await notifications(payg.id)).toEqual([
        expect.objectContaining({ rule: 'HOSTING_AT_RISK', kind: 'OVERDUE', message: expect.stringContaining('pay-as-you-go') }),
      ]);
      expect(await notifications(released.id)).toEqual([
        expect.objectContaining({ rule: 'HOSTING_AT_RISK', kind: 'OVERDUE', message: expect.stringContaining('released') }),
      ]);
      expect(await notifications(renewing.id)).toEqual([
        expect.objectContaining({ rule: 'INSTANCE_RENEWAL_DUE', kind: 'UPCOMING', deadline: new Date(Date.parse(`${soon.chinaDate}T23:59:59.000+08:00`)).toISOString() }),
      ]);

      // The open case workflows record the look: WARNINGs after approval, the renewal deadline from the live expiry.
      const watched = async (id: string) => {
        await eventually(
          () => api.events(id),
          (r) => r.body.items.some((e: { type: string }) => e.type === 'hosting.watched'),
        );
        return (await api.get(id).expect(200)).body;
      };
      const paygCase = await watched(payg.id);
      expect(paygCase.findings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ rule: 'INSTANCE_FACTS_CHANGED', severity: 'WARNING', path: 'hosting.instances[0].billing' }),
          expect.objectContaining({ rule: 'INSTANCE_PAY_AS_YOU_GO', severity: 'WARNING' }),
        ]),
      );
      expect(paygCase.hosting.instances[0].billing).toBe('SUBSCRIPTION');
      const releasedCase = await watched(released.id);
      expect(releasedCase.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'INSTANCE_NOT_FOUND', severity: 'WARNING' })]));
      const renewingCase = await eventually(() => api.get(renewing.id), (r) => r.body.deadlines.instanceRenewalDue === soon.chinaDate);
      expect(renewingCase.body.deadlines.instanceRenewalDue).toBe(soon.chinaDate);
      const { body: events } = await api.events(payg.id).expect(200);
      expect(events.items.find((e: { type: string }) => e.type === 'hosting.watched')).toMatchObject({
        actor: 'system',
        data: { differences: expect.arrayContaining([{ path: 'hosting.instances[0].billing', from: 'SUBSCRIPTION', to: 'PAY_AS_YOU_GO' }]) },
      });

      // The next run raises nothing new and records nothing new: the same look is ignored.
      const version = (await api.get(payg.id).expect(200)).body.version;
      await sweep();
      expect(await notifications(payg.id)).toHaveLength(1);
      expect((await api.get(payg.id).expect(200)).body.version).toBe(version);
    });

    it('throttled pages back off and the pass completes', async () => {
      const { instanceId } = await approved();
      live.set(instanceId, 'THROTTLED_ONCE');
      const result = await sweep();
      expect(result.hosting).toMatchObject({ outcome: 'CHECKED', failed: 0 });
      const throttledCalls = cloud.calls.filter((c) => c.action === 'DescribeInstances' && (JSON.parse(c.params.InstanceIds) as string[]).includes(instanceId));
      expect(throttledCalls.length).toBeGreaterThanOrEqual(2);
    });
  });
});

describe('instance ids without a cloud account configured', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ICP_ENFORCE_DOCUMENTS: 'false' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a case and a precheck from instance ids are a clear 422 that says to type the facts in', async () => {
    const body = caseBody();
    const byIds = { ...body, hosting: { instanceIds: ['i-bp1abc'], slb: body.hosting.slb } };
    for (const path of ['/v1/cases', '/v1/precheck']) {
      const refused = await h.http.post(path).send(byIds).expect(422);
      expect(refused.body).toMatchObject({
        code: 'RULE_VIOLATIONS',
        details: { findings: [expect.objectContaining({ rule: 'CLOUD_FACTS_UNVERIFIED', path: 'hosting.instanceIds', message: expect.stringContaining('type them in') })] },
      });
    }
    // Typed-in facts still open a case (and it says they are unverified).
    const { body: created } = await h.http.post('/v1/cases').send(body).expect(201);
    expect(created.stage).toBe('PREPARING');
  });
});
