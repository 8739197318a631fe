import { caseApi, satisfyChecklist } from './api';
import type { Harness } from './harness';

/** The stages a scenario can bring a fresh case to, in lifecycle order. */
export const DRIVABLE = ['PREPARING', 'INITIAL_REVIEW', 'AWAITING_SMS_VERIFICATION', 'MIIT_REVIEW', 'RESOLVING'] as const;
export type DrivableStage = (typeof DRIVABLE)[number];

/** Opens a case from `body` and drives it over HTTP to `stage`; answers its id. */
export async function driveTo(h: Harness, body: object, stage: DrivableStage, icpNumber = '浙ICP备2026009876号-1'): Promise<string> {
  const api = caseApi(h);
  const { body: opened } = await api.create(body).expect(201);
  const id: string = opened.id;
  const steps: [DrivableStage, () => Promise<unknown>][] = [
    ['PREPARING', () => satisfyChecklist(h, id)],
    ['INITIAL_REVIEW', () => api.act(id, 'submit').expect(200)],
    ['AWAITING_SMS_VERIFICATION', () => api.act(id, 'initial-review', { decision: 'APPROVED' }).expect(200)],
    ['MIIT_REVIEW', () => api.act(id, 'sms-verification').expect(200)],
    ['RESOLVING', () => api.act(id, 'miit-decision', { decision: 'APPROVED', icpNumber }).expect(200)],
  ];
  for (const [reached, step] of steps) {
    await step();
    if (reached === stage) break;
  }
  return id;
}
