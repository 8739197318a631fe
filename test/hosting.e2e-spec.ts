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

type Live = Parameters<typeof ecsInstance>[1] | 'DENIED';

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

  beforeAll(async () => {
    cloud = await startFakeAlibabaCloudApi();
    cloud.handle((call) => {
      if (call.action === 'DescribeInstances') {
        const ids = JSON.parse(call.params.InstanceIds) as string[];
        if (ids.some((id) => live.get(id) === 'DENIED')) {
          return cloudError(403, 'Forbidden.RAM', 'User not authorized to operate on the specified resource, or this API does not support RAM.');
        }
        return describeInstancesAnswer(ids.filter((id) => live.has(id)).map((id) => ecsInstance(id, live.get(id) as Exclude<Live, 'DENIED'>)));
      }
      if (call.action === 'DescribeUserDomains') return describeUserDomainsAnswer([]);
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
});
