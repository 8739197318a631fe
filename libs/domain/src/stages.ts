import { TransitionNotAllowedError } from './errors';

/** The stages of API.md. Stored in histories and tables: never rename. */
export const STAGES = [
  'AWAITING_CERTIFICATE',
  'PREPARING',
  'INITIAL_REVIEW',
  'AWAITING_SMS_VERIFICATION',
  'MIIT_REVIEW',
  'RETURNED',
  'RESOLVING',
  'COMPLETED',
  'NOT_REQUIRED',
  'WITHDRAWN',
] as const;
export type Stage = (typeof STAGES)[number];

/** What officers and applicants can ask for: the names of API.md's action endpoints. */
export const ACTIONS = [
  'certificate-application',
  'certificate',
  'amend',
  'submit',
  'initial-review',
  'sms-verification',
  'miit-decision',
  'resolution',
  'withdraw',
  'assign',
  'psb-filing',
  'upload-document',
  'review-document',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * What the workflow itself does when a clock runs out, and the hosting look-ups at the cloud account
 * (`hosting-refresh` is asked for by an officer, as an amendment: it is allowed where `amend` is;
 * `hosting-watched` is the reminder sweep's look after approval).
 */
export type InternalAction = 'sms-expired' | 'reminder' | 'hosting-verified' | 'hosting-refresh' | 'hosting-watched';

/** Every stage but those an approval or a withdrawal leads to. */
const BEFORE_APPROVAL: readonly Stage[] = STAGES.filter((s) => s !== 'RESOLVING' && s !== 'COMPLETED' && s !== 'WITHDRAWN');

/** The stages each action applies in. The transition table, as data: unit-tested and checked at boot. */
export const ACTION_STAGES: Record<Action | InternalAction, readonly Stage[]> = {
  'certificate-application': ['AWAITING_CERTIFICATE'],
  certificate: ['AWAITING_CERTIFICATE'],
  amend: ['AWAITING_CERTIFICATE', 'PREPARING', 'RETURNED', 'NOT_REQUIRED'],
  submit: ['PREPARING', 'RETURNED'],
  'initial-review': ['INITIAL_REVIEW'],
  'sms-verification': ['AWAITING_SMS_VERIFICATION'],
  'miit-decision': ['MIIT_REVIEW'],
  resolution: ['RESOLVING'],
  withdraw: BEFORE_APPROVAL,
  assign: STAGES.filter((s) => s !== 'WITHDRAWN'),
  'psb-filing': ['RESOLVING', 'COMPLETED'],
  'upload-document': ['AWAITING_CERTIFICATE', 'PREPARING', 'RETURNED'],
  'review-document': ['AWAITING_CERTIFICATE', 'PREPARING', 'RETURNED'],
  'sms-expired': ['AWAITING_SMS_VERIFICATION'],
  reminder: ['INITIAL_REVIEW', 'MIIT_REVIEW', 'RESOLVING', 'COMPLETED'],
  'hosting-refresh': ['AWAITING_CERTIFICATE', 'PREPARING', 'RETURNED', 'NOT_REQUIRED'],
  'hosting-verified': STAGES.filter((s) => s !== 'WITHDRAWN'),
  // The reminder sweep's look at an approved case's instances.
  'hosting-watched': ['RESOLVING', 'COMPLETED'],
};

/** Where each stage may lead (for the table's own consistency checks and documentation). */
export const STAGE_EXITS: Record<Stage, readonly Stage[]> = {
  AWAITING_CERTIFICATE: ['PREPARING', 'NOT_REQUIRED', 'WITHDRAWN'],
  PREPARING: ['INITIAL_REVIEW', 'AWAITING_CERTIFICATE', 'NOT_REQUIRED', 'WITHDRAWN'],
  INITIAL_REVIEW: ['AWAITING_SMS_VERIFICATION', 'RETURNED', 'WITHDRAWN'],
  AWAITING_SMS_VERIFICATION: ['MIIT_REVIEW', 'RETURNED', 'WITHDRAWN'],
  MIIT_REVIEW: ['RESOLVING', 'RETURNED', 'WITHDRAWN'],
  RETURNED: ['INITIAL_REVIEW', 'AWAITING_CERTIFICATE', 'NOT_REQUIRED', 'WITHDRAWN'],
  RESOLVING: ['COMPLETED'],
  COMPLETED: [],
  NOT_REQUIRED: ['PREPARING', 'AWAITING_CERTIFICATE', 'WITHDRAWN'],
  WITHDRAWN: [],
};

/** Stages in which the workflow has nothing left to wait for. */
export const FINAL_STAGES: readonly Stage[] = ['COMPLETED', 'WITHDRAWN'];
/**
 * Stages in which a filing order is open with Alibaba Cloud or MIIT (one per entity at a time):
 * submitted, in review, awaiting SMS, in MIIT review, or returned for correction (DOMAIN.md).
 */
export const OPEN_ORDER_STAGES: readonly Stage[] = ['INITIAL_REVIEW', 'AWAITING_SMS_VERIFICATION', 'MIIT_REVIEW', 'RETURNED'];
/** Stages after MIIT's approval: the submission rules answer as WARNINGs there. */
export const APPROVED_STAGES: readonly Stage[] = ['RESOLVING', 'COMPLETED'];

/**
 * The actions a case accepts now. `closed`: its workflow has ended (the lifecycle is over, or the
 * engine cancelled or terminated it), so it accepts nothing, whatever its stage says.
 */
export function allowedActions(stage: Stage, closed = false): Action[] {
  return closed ? [] : ACTIONS.filter((a) => ACTION_STAGES[a].includes(stage));
}

/** The lifecycle is over: withdrawn, or completed with the PSB filing recorded (the workflow then closes). */
export function lifecycleOver(stage: Stage, psbFiled: boolean): boolean {
  return stage === 'WITHDRAWN' || (stage === 'COMPLETED' && psbFiled);
}

/**
 * What a case accepts next, as `allowedActions` publishes it: its stage's actions, but nothing once
 * its lifecycle is over (withdrawn, or completed with the PSB filing recorded: the workflow has
 * ended) and no second PSB filing.
 */
export function caseActions(state: { stage: Stage; psbFiling: object | null }): Action[] {
  if (state.stage === 'WITHDRAWN' || (state.stage === 'COMPLETED' && state.psbFiling)) return [];
  return allowedActions(state.stage).filter((a) => a !== 'psb-filing' || !state.psbFiling);
}

export function assertAllowed(stage: Stage, action: Action | InternalAction): void {
  if (!ACTION_STAGES[action].includes(stage)) {
    throw new TransitionNotAllowedError(stage, action, allowedActions(stage));
  }
}

/** Checks the table: every stage is known, final stages lead nowhere, every non-final stage has a way out. */
export function validateStageTable(): string[] {
  const problems: string[] = [];
  for (const [action, stages] of Object.entries(ACTION_STAGES)) {
    for (const s of stages) if (!STAGES.includes(s)) problems.push(`${action} names unknown stage ${s}`);
  }
  for (const stage of STAGES) {
    const exits = STAGE_EXITS[stage];
    if (FINAL_STAGES.includes(stage) && exits.length > 0) problems.push(`final stage ${stage} has exits`);
    if (!FINAL_STAGES.includes(stage) && exits.length === 0) problems.push(`stage ${stage} has no way out`);
    for (const to of exits) if (!STAGES.includes(to)) problems.push(`${stage} leads to unknown stage ${to}`);
  }
  return problems;
}
