import { randomUUID } from 'node:crypto';
import { verifySignature } from '../libs/webhooks/src';
import { caseApi, eventually, satisfyChecklist } from './support/api';
import { caseBody } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import { startReceiver } from './support/webhook-receiver';

/**
 * The case workflow's own reminder timers, with a short configured clock (the SMS window): the
 * timer raises one notification for the assignee and one signed `case.overdue` delivery; a
 * transition that makes the deadline moot cancels it.
 */
describe('reminders from the case workflow', () => {
  let h: Harness;
  let api: ReturnType<typeof caseApi>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let webhookId: string;
  const secret = 'case-reminder-secret-0123456789';

  beforeAll(async () => {
    receiver = await startReceiver();
    h = await startHarness({
      ICP_SMS_VERIFICATION_WINDOW: '4s',
      ICP_REMINDER_SCHEDULE: 'off',
      ICP_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      ICP_WEBHOOK_RETRY_INITIAL: '200ms',
    });
    // A supervisor: it assigns cases to anyone (an officer only to itself).
    api = caseApi(h, 'supervisor.test', 'supervisor');
    webhookId = (await h.as({ role: 'admin' }).post('/v1/webhooks').send({ url: receiver.url, events: ['case.overdue', 'case.reminder'], secret }).expect(201)).body.id;
  });
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
  });

  async function toSmsCheck(assignee: string): Promise<string> {
    const { body } = await api.create({ ...caseBody(), assignee }).expect(201);
    await satisfyChecklist(h, body.id);
    await api.act(body.id, 'submit').expect(200);
    const approved = await api.act(body.id, 'initial-review', { decision: 'APPROVED' }).expect(200);
    expect(approved.body.stage).toBe('AWAITING_SMS_VERIFICATION');
    return body.id;
  }

  it('SMS window runs out: one SMS_VERIFICATION_DUE overdue notification to the assignee, one signed case.overdue delivery, then the case returns', async () => {
    const assignee = `officer.${randomUUID().slice(0, 8)}`;
    const id = await toSmsCheck(assignee);
    await eventually(async () => (await api.get(id).expect(200)).body, (c) => c.stage === 'RETURNED');
    const { body } = await h.as({ role: 'officer', sub: assignee }).get('/v1/notifications').expect(200);
    expect(body.items.map((n: { rule: string; kind: string; source: string }) => [n.rule, n.kind, n.source])).toEqual([
      ['SMS_VERIFICATION_DUE', 'OVERDUE', 'workflow'],
    ]);
    const mine = () => receiver.received.filter((r) => JSON.parse(r.body).data?.notification?.caseId === id);
    await eventually(async () => mine(), (r) => r.length === 1);
    const [delivery] = mine();
    expect(delivery.headers['x-event-type']).toBe('case.overdue');
    expect(verifySignature(delivery.body, secret, delivery.headers['x-signature'] as string)).toBe(true);
    const events = (await api.events(id).expect(200)).body.items;
    expect(events.filter((e: { type: string }) => e.type === 'notification.sent')).toHaveLength(1);
    // The workflow names its timers and activities for the Temporal UI.
    const history = await h.temporal.workflow.getHandle(`Case:${id}`).fetchHistory();
    const summaries = JSON.stringify(history.events);
    expect(summaries).toContain('notifyCase');
    // (Reported in the README: the history's length with one reminder in it.)
    console.log(`history of a case through one SMS reminder and its return: ${history.events!.length} events`);
    const { body: deliveries } = await h.as({ role: 'admin' }).get(`/v1/webhooks/${webhookId}/deliveries`).expect(200);
    expect(deliveries.items.filter((d: { status: string }) => d.status === 'DELIVERED').length).toBeGreaterThanOrEqual(1);
  });

  it('the SMS verified in time: the reminder is cancelled, nothing is sent', async () => {
    const assignee = `officer.${randomUUID().slice(0, 8)}`;
    const id = await toSmsCheck(assignee);
    const verified = await api.act(id, 'sms-verification').expect(200);
    expect(verified.body.stage).toBe('MIIT_REVIEW');
    expect(verified.body.deadlines.miitReviewDue).toEqual(expect.any(String));
    // Past the old window: its timer was cancelled with the transition (the condition resolved first).
    const other = await toSmsCheck(`officer.${randomUUID().slice(0, 8)}`);
    await eventually(async () => (await api.get(other).expect(200)).body, (c) => c.stage === 'RETURNED');
    expect((await h.as({ role: 'officer', sub: assignee }).get('/v1/notifications').expect(200)).body.items).toEqual([]);
    const history = await h.temporal.workflow.getHandle(`Case:${id}`).fetchHistory();
    const types = history.events!.map((e) => e.eventType);
    const { temporal } = await import('@temporalio/proto');
    expect(types.filter((t) => t === temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_CANCELED).length).toBeGreaterThanOrEqual(1);
  });
});
