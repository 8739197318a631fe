import { DomainError, TransitionNotAllowedError } from './errors';
import {
  lifecycleOver,
  ACTION_STAGES,
  ACTIONS,
  allowedActions,
  assertAllowed,
  caseActions,
  FINAL_STAGES,
  OPEN_ORDER_STAGES,
  STAGE_EXITS,
  STAGES,
  validateStageTable,
  type Action,
  type InternalAction,
  type Stage,
} from './stages';

/**
 * API.md's stage table ("leaves by"), the PATCH endpoint's stages, withdrawal "before approval",
 * assignment at any time, and the two domain-only actions (certificate-application, psb-filing).
 * One deliberate extension of API.md: `amend` also applies in NOT_REQUIRED, so that a case that
 * moved its hosting out of the mainland can move it back (stageFromFacts → PREPARING).
 * Documents are uploaded and reviewed while the filing is being prepared (or corrected after a
 * return): `upload-document` and `review-document` apply in AWAITING_CERTIFICATE, PREPARING and RETURNED.
 */
const ALLOWED: Record<Stage, Action[]> = {
  AWAITING_CERTIFICATE: ['certificate-application', 'certificate', 'amend', 'withdraw', 'assign', 'upload-document', 'review-document'],
  PREPARING: ['amend', 'submit', 'withdraw', 'assign', 'upload-document', 'review-document'],
  INITIAL_REVIEW: ['initial-review', 'withdraw', 'assign'],
  AWAITING_SMS_VERIFICATION: ['sms-verification', 'withdraw', 'assign'],
  MIIT_REVIEW: ['miit-decision', 'withdraw', 'assign'],
  RETURNED: ['amend', 'submit', 'withdraw', 'assign', 'upload-document', 'review-document'],
  RESOLVING: ['resolution', 'assign', 'psb-filing'],
  COMPLETED: ['assign', 'psb-filing'],
  NOT_REQUIRED: ['amend', 'withdraw', 'assign'],
  WITHDRAWN: [],
};

/** API.md, "Stages": the action each stage is left by, and where it leads. */
const API_EXITS: [Stage, Action, Stage[]][] = [
  ['AWAITING_CERTIFICATE', 'certificate', ['PREPARING']],
  ['PREPARING', 'submit', ['INITIAL_REVIEW']],
  ['INITIAL_REVIEW', 'initial-review', ['AWAITING_SMS_VERIFICATION', 'RETURNED']],
  ['AWAITING_SMS_VERIFICATION', 'sms-verification', ['MIIT_REVIEW', 'RETURNED']],
  ['MIIT_REVIEW', 'miit-decision', ['RESOLVING', 'RETURNED']],
  ['RETURNED', 'amend', []],
  ['RETURNED', 'submit', ['INITIAL_REVIEW']],
  ['RESOLVING', 'resolution', ['COMPLETED']],
];

describe('stage table', () => {
  it('validates', () => {
    expect(validateStageTable()).toEqual([]);
  });

  it.each(STAGES.map((s) => [s, ALLOWED[s]] as const))('%s allows %j', (stage, actions) => {
    expect(allowedActions(stage)).toEqual(actions);
  });

  it.each(API_EXITS)("API.md: %s is left by '%s' (to %j)", (stage, action, to) => {
    expect(allowedActions(stage)).toContain(action);
    for (const target of to) expect(STAGE_EXITS[stage]).toContain(target);
  });

  it.each(['AWAITING_CERTIFICATE', 'PREPARING', 'RETURNED'] as const)('API.md: PATCH amends in %s', (stage) => {
    expect(allowedActions(stage)).toContain('amend');
  });

  it('API.md: a case is withdrawn only before approval', () => {
    expect(STAGES.filter((s) => allowedActions(s).includes('withdraw'))).toEqual([
      'AWAITING_CERTIFICATE',
      'PREPARING',
      'INITIAL_REVIEW',
      'AWAITING_SMS_VERIFICATION',
      'MIIT_REVIEW',
      'RETURNED',
      'NOT_REQUIRED',
    ]);
  });

  it.each(['upload-document', 'review-document'] as const)(
    'documents: %s applies only while the filing is prepared or corrected',
    (action) => {
      expect(ACTION_STAGES[action]).toEqual(['AWAITING_CERTIFICATE', 'PREPARING', 'RETURNED']);
      expect(STAGES.filter((s) => allowedActions(s).includes(action))).toEqual(['AWAITING_CERTIFICATE', 'PREPARING', 'RETURNED']);
    },
  );

  it('the document actions come last in allowedActions, and no other stage allows them', () => {
    for (const stage of ['AWAITING_CERTIFICATE', 'PREPARING', 'RETURNED'] as const) {
      expect(allowedActions(stage).slice(-2)).toEqual(['upload-document', 'review-document']);
    }
    // Once submitted (or approved, completed, withdrawn, not required) the documents are frozen.
    for (const stage of STAGES.filter((s) => !['AWAITING_CERTIFICATE', 'PREPARING', 'RETURNED'].includes(s))) {
      expect([stage, allowedActions(stage).filter((a) => a.endsWith('-document'))]).toEqual([stage, []]);
    }
  });

  it('final stages lead nowhere and allow no stage change', () => {
    expect(FINAL_STAGES).toEqual(['COMPLETED', 'WITHDRAWN']);
    for (const stage of FINAL_STAGES) expect(STAGE_EXITS[stage]).toEqual([]);
    expect(allowedActions('WITHDRAWN')).toEqual([]);
  });

  it('a case whose workflow has closed accepts nothing, whatever its stage', () => {
    for (const stage of STAGES) expect(allowedActions(stage, true)).toEqual([]);
    expect(allowedActions('COMPLETED')).toEqual(['assign', 'psb-filing']);
    expect(lifecycleOver('COMPLETED', false)).toBe(false);
    expect(lifecycleOver('COMPLETED', true)).toBe(true);
    expect(lifecycleOver('RESOLVING', true)).toBe(false);
    expect(lifecycleOver('WITHDRAWN', false)).toBe(true);
  });

  it('an order is open with Alibaba Cloud or MIIT between submission and decision, and while returned for correction', () => {
    expect(OPEN_ORDER_STAGES).toEqual(['INITIAL_REVIEW', 'AWAITING_SMS_VERIFICATION', 'MIIT_REVIEW', 'RETURNED']);
  });

  it.each([
    ['sms-expired', ['AWAITING_SMS_VERIFICATION']],
    ['reminder', ['INITIAL_REVIEW', 'MIIT_REVIEW', 'RESOLVING', 'COMPLETED']],
  ] as const)('the internal action %s applies in %j', (action, stages) => {
    expect(ACTION_STAGES[action]).toEqual(stages);
  });

  it('every stage reaches a final stage', () => {
    for (const start of STAGES) {
      const seen = new Set<Stage>([start]);
      const queue: Stage[] = [start];
      while (queue.length > 0) {
        for (const to of STAGE_EXITS[queue.shift()!]) {
          if (!seen.has(to)) {
            seen.add(to);
            queue.push(to);
          }
        }
      }
      expect([start, FINAL_STAGES.some((s) => seen.has(s))]).toEqual([start, true]);
    }
  });
});

describe('assertAllowed', () => {
  const pairs = STAGES.flatMap((stage) =>
    [...ACTIONS, 'sms-expired', 'reminder'].map((action) => [stage, action as Action | InternalAction] as const),
  );
  const allowed = pairs.filter(([stage, action]) => ACTION_STAGES[action].includes(stage));
  const refused = pairs.filter(([stage, action]) => !ACTION_STAGES[action].includes(stage));

  it.each(allowed)('%s: %s passes', (stage, action) => {
    expect(() => assertAllowed(stage, action)).not.toThrow();
  });

  it.each(refused)('%s: %s throws TRANSITION_NOT_ALLOWED', (stage, action) => {
    let error: unknown;
    try {
      assertAllowed(stage, action);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TransitionNotAllowedError);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
      details: { stage, allowed: ALLOWED[stage] },
      message: expect.stringContaining(stage),
    });
  });
});

describe('caseActions (what allowedActions publishes)', () => {
  const PSB = { recordNumber: '33010602012345', filedAt: '2026-12-01' };
  it.each([
    ['RESOLVING before the PSB filing', 'RESOLVING', null, allowedActions('RESOLVING')],
    ['RESOLVING after it: no second filing', 'RESOLVING', PSB, allowedActions('RESOLVING').filter((a) => a !== 'psb-filing')],
    ['COMPLETED before the PSB filing', 'COMPLETED', null, ['assign', 'psb-filing']],
    ['COMPLETED after it: the workflow has ended', 'COMPLETED', PSB, []],
    ['WITHDRAWN', 'WITHDRAWN', null, []],
    ['PREPARING', 'PREPARING', null, allowedActions('PREPARING')],
  ] as const)('%s', (_, stage, psbFiling, expected) => {
    expect(caseActions({ stage, psbFiling })).toEqual(expected);
  });
});
