import { randomUUID } from 'node:crypto';
import { CaseProjectionRepository } from '../libs/persistence/src';
import { toCaseView, entityKey } from '../libs/contracts/src';
import { chinaDate, decide, openCase, type CaseCommand, type CaseState, type DecideContext } from '../libs/domain/src';
import { verifySignature } from '../libs/webhooks/src';
import { eventually } from './support/api';
import { caseBody } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import { startReceiver } from './support/webhook-receiver';

/**
 * The scheduled reminder job end to end: the real Temporal Schedule (triggered), the sweep
 * workflow, notifications in Postgres, and signed webhook deliveries to a receiver on loopback
 * (allowed by ICP_WEBHOOK_ALLOW_HOSTS) that is down at first and comes back.
 */
describe('scheduled reminders', () => {
  let h: Harness;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const queue = `officers-${randomUUID().slice(0, 8)}`;
  const assignee = `officer.${randomUUID().slice(0, 8)}`;
  const secret = 'a-webhook-secret-of-some-length';

  beforeAll(async () => {
    receiver = await startReceiver();
    h = await startHarness({
      ICP_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      ICP_WEBHOOK_RETRY_INITIAL: '300ms',
      ICP_WEBHOOK_RETRY_MAX_INTERVAL: '1s',
      ICP_OFFICERS_QUEUE: queue,
    });
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  /** A case that reached MIIT review in Zhejiang (20 business days) on Monday 2026-09-21, projected as the workflow would. */
  async function caseInMiitReviewSince(smsVerifiedAt: string, who: string | null): Promise<CaseState> {
    const ctx = (now: string): DecideContext => ({ now, config: h.config.rules, smsWindowMs: 86_400_000 });
    const facts = caseBody();
    const id = randomUUID();
    let state = openCase(
      { caseId: id, reference: `ICP-2026-R${id.slice(0, 6)}`, facts: facts as never, assignee: who, enforceDocuments: false },
      ctx('2026-09-18T02:00:00.000Z'),
    ).state;
    const steps: [string, CaseCommand][] = [
      ['2026-09-18T03:00:00.000Z', { type: 'submit', openOrders: [] }],
      ['2026-09-18T05:00:00.000Z', { type: 'initial-review', decision: 'APPROVED' }],
      [smsVerifiedAt, { type: 'sms-verification' }],
    ];
    const projection = h.app.get(CaseProjectionRepository);
    let seq = 0;
    const project = async (s: CaseState, type: string) =>
      projection.project({
        view: toCaseView(s),
        entityKey: entityKey(s.facts.applicant),
        event: { seq: ++seq, at: s.updatedAt, actor: 'system', type, fromStage: null, toStage: s.stage, data: {} },
      });
    await project(state, 'case.created');
    for (const [now, command] of steps) {
      const decision = decide(state, command, ctx(now));
      state = decision.state;
      await project(state, decision.event.type);
    }
    return state;
  }

  const schedule = () => h.temporal.schedule.getHandle(h.config.reminders.schedule!.id);
  const runs = async () => (await h.http.get('/v1/schedules/reminders').expect(200)).body;
  /** Triggers the real Schedule and waits until that run has finished. */
  async function runSweep(): Promise<Record<string, number>> {
    const before = (await runs()).recentRuns.filter((r: { finishedAt: string | null }) => r.finishedAt).length;
    // Scheduled workflow ids carry the second they start in: a trigger within the previous run's
    // second would collide with it, so runs here are more than a second apart.
    await new Promise((r) => setTimeout(r, 1100));
    await schedule().trigger();
    const after = await eventually(runs, (b) => b.recentRuns.filter((r: { finishedAt: string | null }) => r.finishedAt).length > before, 60_000);
    return after.lastRun.counts;
  }

  it('the worker created the Schedule: daily 09:00 Asia/Shanghai, overlap SKIP, a catch-up window', async () => {
    const d = await schedule().describe();
    expect(d.spec.calendars?.length ?? 0).toBeGreaterThan(0); // the cron expression, as the server stores it
    expect(d.spec.timezone).toBe('Asia/Shanghai');
    expect(d.policies.overlap).toBe('SKIP');
    expect(d.policies.catchupWindow).toBe(86_400_000);
    expect(d.action.type).toBe('startWorkflow');
  });

  it('a case past its MIIT review limit: one overdue notification, one signed digest (after the receiver came back), in the overdue list; a second run sends nothing', async () => {
    const state = await caseInMiitReviewSince('2026-09-21T04:00:00.000Z', assignee);
    // 20 mainland business days from Monday 2026-09-21: Mid-Autumn (25th–27th) and National Day
    // (1st–7th October) off, the make-up Saturday 10th worked: Monday 2026-10-26, end of day in China.
    expect(state.deadlines.miitReviewDue).toBe('2026-10-26T15:59:59.000Z');
    expect(chinaDate(state.deadlines.miitReviewDue!)).toBe('2026-10-26');
    const { body: got } = await h.http.get(`/v1/cases/${state.caseId}`).expect(200);
    expect(got.deadlines).toMatchObject({ miitReviewDue: '2026-10-26T15:59:59.000Z', estimated: [] });

    const overdue = await h.http.get('/v1/cases').query({ overdue: 'true', assignee }).expect(200);
    expect(overdue.body.items.map((c: { id: string }) => c.id)).toEqual([state.caseId]);
    const dueBefore = await h.http.get('/v1/cases').query({ dueBefore: '2026-10-27T00:00:00Z', assignee }).expect(200);
    expect(dueBefore.body.items.map((c: { id: string }) => c.id)).toEqual([state.caseId]);
    const notYet = await h.http.get('/v1/cases').query({ dueBefore: '2026-10-26T00:00:00Z', assignee }).expect(200);
    expect(notYet.body.items).toEqual([]);

    const { body: webhook } = await h
      .as({ role: 'admin', sub: 'admin.hooks' })
      .post('/v1/webhooks')
      .send({ url: receiver.url, events: ['reminder.digest', 'case.overdue'], secret })
      .expect(201);
    expect(webhook).not.toHaveProperty('secret');
    expect(webhook.createdBy).toBe('admin.hooks');
    await receiver.down();

    const first = await runSweep();
    expect(first.created).toBeGreaterThanOrEqual(1);
    const { body: mine } = await h.as({ role: 'officer', sub: assignee }).get('/v1/notifications').expect(200);
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({
      caseId: state.caseId,
      rule: 'MIIT_REVIEW_DUE',
      kind: 'OVERDUE',
      deadline: '2026-10-26T15:59:59.000Z',
      readAt: null,
    });
    // Who sees it: the officer it is for and a supervisor (by recipient); another officer neither sees nor marks it.
    const officer = h.as({ role: 'officer', sub: assignee });
    expect((await h.as({ role: 'supervisor' }).get('/v1/notifications').query({ recipient: assignee }).expect(200)).body.items).toEqual(mine.items);
    expect((await h.http.get('/v1/notifications').query({ caseId: state.caseId }).expect(200)).body.items).toEqual([]);
    expect((await h.http.get('/v1/notifications').query({ recipient: assignee }).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await h.http.post(`/v1/notifications/${mine.items[0].id}/read`).expect(404)).body.code).toBe('NOTIFICATION_NOT_FOUND');
    // The filters of API.md: type (the rule) and since (created at or after).
    expect((await officer.get('/v1/notifications').query({ type: 'MIIT_REVIEW_DUE' }).expect(200)).body.items).toEqual(mine.items);
    expect((await officer.get('/v1/notifications').query({ type: 'PSB_FILING_DUE' }).expect(200)).body.items).toEqual([]);
    expect((await officer.get('/v1/notifications').query({ since: mine.items[0].createdAt }).expect(200)).body.items).toEqual(mine.items);
    const later = new Date(Date.parse(mine.items[0].createdAt) + 1000).toISOString();
    expect((await officer.get('/v1/notifications').query({ since: later }).expect(200)).body.items).toEqual([]);
    expect((await officer.get('/v1/notifications').query({ type: 'NOPE' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await officer.get('/v1/notifications').query({ since: 'yesterday' }).expect(400)).body.code).toBe('VALIDATION_FAILED');

    // The receiver is down: attempts fail and are retried with backoff; then it comes back.
    await eventually(
      async () => (await h.as({ role: 'admin' }).get(`/v1/webhooks/${webhook.id}/deliveries`).expect(200)).body.items,
      (items: { attempts: unknown[] }[]) => items.some((d) => d.attempts.length >= 2),
      30_000,
    );
    await receiver.up();
    const mineDigests = () =>
      receiver.received.filter((r) => JSON.parse(r.body).data?.recipient === assignee);
    await eventually(async () => mineDigests(), (r) => r.length >= 1, 30_000);

    const [delivery] = mineDigests();
    expect(delivery.headers['x-event-type']).toBe('reminder.digest');
    expect(verifySignature(delivery.body, secret, delivery.headers['x-signature'] as string)).toBe(true);
    expect(verifySignature(delivery.body, 'another-secret-entirely', delivery.headers['x-signature'] as string)).toBe(false);
    const payload = JSON.parse(delivery.body);
    expect(payload.id).toBe(delivery.headers['x-delivery-id']);
    expect(payload.data.notifications.map((n: { caseId: string; kind: string }) => [n.caseId, n.kind])).toEqual([[state.caseId, 'OVERDUE']]);
    const { body: deliveries } = await h.as({ role: 'admin' }).get(`/v1/webhooks/${webhook.id}/deliveries`).expect(200);
    const recorded = deliveries.items.find((d: { id: string }) => d.id === payload.id);
    expect(recorded.status).toBe('DELIVERED');
    expect(recorded.attempts.at(-1)).toMatchObject({ outcome: 'DELIVERED', statusCode: 204 });
    expect(recorded.attempts.slice(0, -1).every((a: { outcome: string }) => a.outcome === 'FAILED')).toBe(true);

    // The audit trail has the notification.
    const { body: events } = await h.http.get(`/v1/cases/${state.caseId}/events`).expect(200);
    expect(events.items.filter((e: { type: string }) => e.type === 'notification.sent')).toHaveLength(1);

    // Run it again: nothing new for this recipient, no new delivery.
    const deliveriesBefore = deliveries.items.length;
    await runSweep();
    expect((await h.as({ role: 'officer', sub: assignee }).get('/v1/notifications').expect(200)).body.items).toHaveLength(1);
    expect(mineDigests()).toHaveLength(1);
    const { body: again } = await h.as({ role: 'admin' }).get(`/v1/webhooks/${webhook.id}/deliveries`).expect(200);
    expect(again.items.filter((d: { id: string }) => d.id === payload.id)).toHaveLength(1);
    // Other test files' cases may be swept too (one database): only their digests are new.
    const added = again.items.filter((d: { id: string }) => !deliveries.items.some((x: { id: string }) => x.id === d.id));
    expect(added.length).toBe(again.items.length - deliveriesBefore);
    expect(mineDigests()).toHaveLength(1);

    // Marking read, filtering unread, keyset pages.
    await h.as({ role: 'officer', sub: assignee }).post(`/v1/notifications/${mine.items[0].id}/read`).expect(200);
    expect((await h.as({ role: 'officer', sub: assignee }).get('/v1/notifications').query({ unread: 'true' }).expect(200)).body.items).toEqual([]);
    await h.http.post(`/v1/notifications/${randomUUID()}/read`).expect(404);
    await h.http.get('/v1/notifications').query({ cursor: 'nonsense' }).expect(400);
  });

  it('an unassigned case goes to the officers\' queue, once per recipient digest', async () => {
    const state = await caseInMiitReviewSince('2026-09-22T04:00:00.000Z', null);
    await runSweep();
    const { body } = await h.as({ role: 'supervisor' }).get('/v1/notifications').query({ recipient: queue, caseId: state.caseId }).expect(200);
    expect(body.items.map((n: { rule: string; kind: string }) => `${n.rule}:${n.kind}`)).toEqual(['MIIT_REVIEW_DUE:OVERDUE']);
  });

  it.each([
    ['loopback not on the allow-list', 'http://127.0.0.2:9/x'],
    ['cloud metadata (link-local)', 'http://169.254.169.254/latest/meta-data'],
    ['a private address', 'http://10.0.0.1/hook'],
    ['IPv6 loopback', 'http://[::1]:9/x'],
    ['not http(s)', 'ftp://127.0.0.1/x'],
    ['credentials in the URL', 'http://user:pass@127.0.0.1:9/x'],
  ])('refuses a webhook to %s with 422', async (_, url) => {
    const res = await h.as({ role: 'admin' }).post('/v1/webhooks').send({ url, events: ['*'], secret }).expect(422);
    expect(res.body).toMatchObject({ code: 'WEBHOOK_URL_REFUSED', message: expect.any(String) });
  });

  it('checks the resolved address again at delivery: a stored URL to a private address is a recorded refused delivery, no traffic sent', async () => {
    const { body: webhook } = await h.as({ role: 'admin' }).post('/v1/webhooks').send({ url: receiver.url, events: ['case.overdue'], secret }).expect(201);
    // As if the name had been re-pointed since registration: the row now names a private address.
    await h.app.get(CaseProjectionRepository)['db'].query(`UPDATE webhooks SET url = 'http://10.0.0.1:9/hook' WHERE id = $1`, [webhook.id]);
    const state = await caseInMiitReviewSince('2026-09-23T04:00:00.000Z', `officer.${randomUUID().slice(0, 8)}`);
    // The case's own timer path: the notifyCase activity publishes case.overdue.
    await h.temporal.workflow.execute('webhookDeliveryWorkflow', {
      taskQueue: h.config.temporal.taskQueue,
      workflowId: `test-refused-${state.caseId}`,
      args: [{ deliveryId: await enqueue(webhook.id), retry: { initialIntervalMs: 100, maximumIntervalMs: 100, maximumAttempts: 2 } }],
    });
    const { body } = await h.as({ role: 'admin' }).get(`/v1/webhooks/${webhook.id}/deliveries`).expect(200);
    expect(body.items).toHaveLength(1);
    expect(body.items[0].status).toBe('REFUSED');
    expect(body.items[0].attempts).toEqual([expect.objectContaining({ outcome: 'REFUSED', statusCode: null, error: expect.stringContaining('10.0.0.1') })]);
    await h.as({ role: 'admin' }).delete(`/v1/webhooks/${webhook.id}`).expect(204);
    await h.as({ role: 'admin' }).delete(`/v1/webhooks/${webhook.id}`).expect(404);
  });

  async function enqueue(webhookId: string): Promise<string> {
    const { WebhookRepository } = await import('../libs/persistence/src');
    const repo = h.app.get(WebhookRepository);
    await repo.enqueue('case.overdue', `test:${webhookId}`, (id) => ({ id }));
    const [delivery] = await repo.deliveries(webhookId);
    return delivery.id;
  }
});
