/**
 * The lifecycle of one ICP filing case. Workflow code only: deterministic, no I/O. Time comes
 * from the workflow clock (`new Date()` is replay-safe inside the sandbox), side effects go
 * through activities, rules and transitions come from the pure domain library.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  startChild,
  log,
  patched,
  upsertSearchAttributes,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import {
  DomainError,
  decide,
  domainToAscii,
  expectedResolution,
  openCase,
  RuleViolationsError,
  type CaseCommand,
  type CaseState,
  type DecideContext,
  type Decision,
  type HostingCheck,
  type RuleId,
} from '../../libs/domain/src';
import {
  abandonCertificateSignal,
  amendCaseUpdate,
  assignCaseUpdate,
  caseWorkflowId,
  certificateIssuedSignal,
  certificateWorkflowId,
  checkResolutionUpdate,
  entityKey,
  getCaseQuery,
  openCaseUpdate,
  recordCertificateApplicationUpdate,
  recordCertificateUpdate,
  recordDocumentReviewUpdate,
  recordDocumentUploadUpdate,
  recordInitialReviewUpdate,
  recordMiitDecisionUpdate,
  recordPsbFilingUpdate,
  recordSmsVerificationUpdate,
  submitCaseUpdate,
  toCaseView,
  withdrawCaseUpdate,
  aicApplicationSubmittedSignal,
  caseProvinceSearchAttribute,
  caseStageSearchAttribute,
  type Actor,
  type AmendInput,
  type AssignInput,
  type CaseView,
  type InitialReviewInput,
  type MiitDecisionInput,
  type PsbFilingInput,
  type WithdrawInput,
  type CaseWorkflowInput,
  type DocumentReviewedInput,
  type DocumentUploadedInput,
  type CertificateWorkflowResult,
} from '../../libs/contracts/src';
import type { CaseActivities, DocumentProjection, HostingActivities } from '../../libs/contracts/src';
import { refreshHostingUpdate, type RefreshHostingInput } from '../../libs/contracts/src';
import { certificateWorkflow } from './certificate.workflow';

const activities = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/**
 * The cloud account's live facts. Retried with backoff (throttling waits longer, see the activity);
 * after the last attempt the caller answers "unavailable" rather than hold the case.
 */
const hostingActivities = proxyActivities<HostingActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2, maximumAttempts: 4 },
});

/** The documents row an applied command writes, from the state it produced (for its time). */
type DocumentRow = (applied: CaseState) => DocumentProjection | undefined;

/** A domain error crosses Temporal as a non-retryable ApplicationFailure whose type is its code. */
function toFailure(error: unknown): unknown {
  if (error instanceof DomainError) {
    return ApplicationFailure.create({ type: error.code, message: error.message, details: [error.details], nonRetryable: true });
  }
  return error;
}

function rethrowAsFailure<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toFailure(error);
  }
}

/** Runs handlers one at a time, so two updates never interleave around an activity. */
class Serial {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseView> {
  // Workflows begun before the 2026-11-30 rule revision keep its lifecycle (PSB filing due from
  // approval, RETURNED kept on an amendment to presence NONE): their recorded histories replay as they ran.
  const legacyLifecycle = !patched('lifecycle-2026-11-30');
  // Workflows begun before the hosting checks replay without them (no verifyHosting activity).
  const verifiesHosting = patched('verify-hosting-2026-11-30');
  const ctx = (): DecideContext => ({
    now: new Date().toISOString(),
    config: input.config,
    smsWindowMs: input.smsWindowMs,
    legacyLifecycle,
  });
  const opening = openCase(input.newCase, ctx());
  let state: CaseState = opening.state;
  let seq = 0;
  let projected = false;
  const serial = new Serial();
  let certificateChild: ChildWorkflowHandle<typeof certificateWorkflow> | null = null;
  let certificateResult: Promise<CertificateWorkflowResult> | null = null;

  const record = async (decision: Decision, actor: string, document?: DocumentRow): Promise<void> => {
    if (seq === 0 || decision.state.stage !== state.stage || decision.state.facts.submissionProvince !== state.facts.submissionProvince) {
      upsertSearchAttributes([
        { key: caseStageSearchAttribute, value: decision.state.stage },
        { key: caseProvinceSearchAttribute, value: decision.state.facts.submissionProvince },
      ]);
    }
    state = decision.state;
    seq += 1;
    await activities.projectCase({
      view: toCaseView(state),
      entityKey: entityKey(state.facts.applicant),
      event: { seq, at: state.updatedAt, actor, ...decision.event },
      document: document?.(state),
    });
  };

  /** Decides and records one command; answers the view, or fails with the decision's violations. */
  const apply = async (command: CaseCommand, actor: string, document?: DocumentRow): Promise<CaseView> => {
    const decision = rethrowAsFailure(() => decide(state, command, ctx()));
    await record(decision, actor, document);
    if (decision.violations) throw toFailure(new RuleViolationsError(decision.violations, 'The domains do not resolve yet'));
    return toCaseView(state);
  };

  /** A validator: rejects the command before it reaches history if `decide` would refuse it now. */
  const validate = (command: CaseCommand) => (..._args: unknown[]): void => {
    rethrowAsFailure(() => decide(state, command, ctx()));
  };

  const handle = <A extends Actor>(toCommand: (arg: A) => CaseCommand) => ({
    handler: (arg: A) => serial.run(() => apply(toCommand(arg), arg.actor)),
    validator: (arg: A) => validate(toCommand(arg))(),
  });

  setHandler(getCaseQuery, () => toCaseView(state));
  setHandler(openCaseUpdate, async () => {
    await condition(() => projected);
    return toCaseView(state);
  });

  setHandler(
    recordCertificateApplicationUpdate,
    ({ actor, authority, appliedAt }) =>
      serial.run(async () => {
        if (certificateChild) await certificateChild.signal(aicApplicationSubmittedSignal, { authority, appliedAt });
        return apply({ type: 'certificate-application', authority, appliedAt }, actor);
      }),
    { validator: ({ authority, appliedAt }) => validate({ type: 'certificate-application', authority, appliedAt })() },
  );

  setHandler(
    recordCertificateUpdate,
    (arg) =>
      serial.run(async () => {
        let certificate = arg.certificate;
        if (certificateChild && certificateResult) {
          // The child owns the AIC steps: tell it the certificate was issued and take its result.
          await certificateChild.signal(certificateIssuedSignal, arg.certificate);
          const result = await certificateResult;
          certificateChild = null;
          certificateResult = null;
          if (result.outcome === 'ISSUED') certificate = result.certificate;
        }
        return apply({ type: 'certificate', certificate }, arg.actor);
      }),
    { validator: (arg) => validate({ type: 'certificate', certificate: arg.certificate })() },
  );

  const amend = handle((a: AmendInput) => ({
    type: 'amend',
    changes: a.changes,
    expectedVersion: a.expectedVersion,
  }));
  setHandler(amendCaseUpdate, amend.handler, { validator: amend.validator });

  /** Asks the cloud account about the case's instances and its domains on the CDN. */
  const lookAtCloud = async (): Promise<HostingCheck> => {
    const domains = state.facts.websites.flatMap((w) => w.domains.map((d) => domainToAscii(d) ?? d));
    try {
      return await hostingActivities.verifyHosting({
        instanceIds: state.facts.hosting.instances.map((i) => i.instanceId),
        cdnDomains: [...new Set(domains)],
      });
    } catch (error) {
      log.warn('verifyHosting failed after its retries', { error: String(error) });
      throw ApplicationFailure.create({
        type: 'SERVICE_UNAVAILABLE',
        message: 'The cloud account did not answer (after retries): nothing was changed; try again later',
        nonRetryable: true,
      });
    }
  };

  setHandler(
    submitCaseUpdate,
    (arg) =>
      serial.run(async () => {
        // The live facts decide, not what was typed in: a billing switched to pay-as-you-go or an
        // instance expiring within three months refuses the submission.
        const hosting = verifiesHosting ? await lookAtCloud() : undefined;
        // Only one filing order per entity may be open: that is a question for the read model.
        const { references } = await activities.findOpenOrders({ caseId: state.caseId, entityKey: entityKey(state.facts.applicant) });
        return apply({ type: 'submit', openOrders: references, hosting }, arg.actor);
      }),
    { validator: validate({ type: 'submit', openOrders: [] }) },
  );

  setHandler(
    refreshHostingUpdate,
    (arg: RefreshHostingInput) =>
      serial.run(async () => {
        if (!verifiesHosting) {
          throw ApplicationFailure.create({ type: 'TRANSITION_NOT_ALLOWED', message: 'This case began before hosting refreshes', nonRetryable: true, details: [{ stage: state.stage, allowed: [] }] });
        }
        return apply({ type: 'hosting-refresh', check: await lookAtCloud() }, arg.actor);
      }),
    { validator: (_arg: RefreshHostingInput) => validate({ type: 'hosting-refresh', check: { outcome: 'CHECKED', checkedAt: '', instances: [], cdn: [] } })() },
  );

  const initialReview = handle((a: InitialReviewInput) => ({
    type: 'initial-review',
    decision: a.decision,
    reasons: a.reasons,
  }));
  setHandler(recordInitialReviewUpdate, initialReview.handler, { validator: initialReview.validator });

  const sms = handle((_: Actor) => ({ type: 'sms-verification' }));
  setHandler(recordSmsVerificationUpdate, sms.handler, { validator: sms.validator });

  const miit = handle((a: MiitDecisionInput) => ({
    type: 'miit-decision',
    decision: a.decision,
    icpNumber: a.icpNumber,
    reasons: a.reasons,
  }));
  setHandler(recordMiitDecisionUpdate, miit.handler, { validator: miit.validator });

  setHandler(
    checkResolutionUpdate,
    (arg) =>
      serial.run(async () => {
        const expected = expectedResolution(state.facts);
        // Resolved in their ASCII (IDNA) form: `例子。中国` is looked up as xn--fsqu00a.xn--fiqs8s.
        const domains = state.facts.websites.flatMap((w) => w.domains.map((d) => domainToAscii(d) ?? d));
        const { checks } = expected
          ? await activities.checkResolution({ domains, expected })
          : { checks: domains.map((domain) => ({ domain, expected: { type: 'A' as const, value: '(no SLB, CDN or public IP)' }, found: [], resolved: false, error: 'nothing to resolve to' })) };
        return apply({ type: 'resolution', checks }, arg.actor);
      }),
    { validator: validate({ type: 'resolution', checks: [] }) },
  );

  const withdraw = handle((a: WithdrawInput) => ({ type: 'withdraw', reason: a.reason }));
  setHandler(withdrawCaseUpdate, withdraw.handler, { validator: withdraw.validator });

  const assign = handle((a: AssignInput) => ({ type: 'assign', assignee: a.assignee }));
  setHandler(assignCaseUpdate, assign.handler, { validator: assign.validator });

  const psb = handle((a: PsbFilingInput) => ({
    type: 'psb-filing',
    recordNumber: a.recordNumber,
    filedAt: a.filedAt,
  }));
  setHandler(recordPsbFilingUpdate, psb.handler, { validator: psb.validator });

  // Documents: the workflow counts them, and its projection writes their rows (same transaction
  // as the event), so the table shows exactly the uploads and reviews the workflow applied.
  const upload = handle((a: DocumentUploadedInput) => ({ type: 'upload-document', document: a.document }));
  setHandler(
    recordDocumentUploadUpdate,
    (a) =>
      serial.run(() =>
        apply({ type: 'upload-document', document: a.document }, a.actor, (applied) =>
          a.file ? { change: 'uploaded', ...a.document, ...a.file, uploadedBy: a.actor, uploadedAt: applied.updatedAt } : undefined,
        ),
      ),
    { validator: upload.validator },
  );

  const review = handle((a: DocumentReviewedInput) => ({
    type: 'review-document',
    documentId: a.documentId,
    decision: a.decision,
    reason: a.reason,
  }));
  setHandler(
    recordDocumentReviewUpdate,
    (a) =>
      serial.run(() =>
        apply({ type: 'review-document', documentId: a.documentId, decision: a.decision, reason: a.reason }, a.actor, (applied) => ({
          change: 'reviewed',
          id: a.documentId,
          status: a.decision,
          reason: a.reason,
          reviewedBy: a.actor,
          reviewedAt: applied.updatedAt,
        })),
      ),
    { validator: review.validator },
  );

  await serial.run(() => record(opening, input.actor));
  projected = true;

  /** Tells the certificate child to stop and waits for it to close (closing the case would terminate it). */
  const abandonCertificate = async (): Promise<void> => {
    const child = certificateChild;
    const result = certificateResult;
    certificateChild = null;
    certificateResult = null;
    if (!child) return;
    await child.signal(abandonCertificateSignal);
    await result?.catch(() => undefined);
  };

  const millisUntil = (instant: string): number => Math.max(1, Date.parse(instant) - new Date().getTime());
  const hasNotice = (rule: RuleId): boolean => state.notices.some((n) => n.rule === rule);
  /** Waits for any change to the case, or until `deadline`; true when the deadline passed first. */
  const waitForChange = async (deadline?: string): Promise<boolean> => {
    const version = state.version;
    if (!deadline) {
      await condition(() => state.version !== version);
      return false;
    }
    return !(await condition(() => state.version !== version, millisUntil(deadline)));
  };
  /** Applies what a clock decided, unless an update changed the stage first. */
  const onClock = (stage: CaseState['stage'], command: CaseCommand): Promise<unknown> =>
    serial.run(async () => (state.stage === stage ? apply(command, 'system') : undefined));

  /** The hosting (as JSON) last looked up in PREPARING, so each version of it is checked once. */
  let hostingLookedUp: string | null = null;
  /** In PREPARING: the live facts, recorded when the account answered (nothing to record without one). */
  const verifyInPreparing = (): Promise<unknown> =>
    serial.run(async () => {
      if (state.stage !== 'PREPARING') return;
      hostingLookedUp = JSON.stringify(state.facts.hosting);
      const check = await lookAtCloud().catch(() => null);
      if (check && check.outcome !== 'NOT_CONFIGURED' && hostingLookedUp === JSON.stringify(state.facts.hosting)) {
        await apply({ type: 'hosting-verified', check }, 'system');
      }
    });

  while (!(state.stage === 'WITHDRAWN' || (state.stage === 'COMPLETED' && state.psbFiling))) {
    const stage = state.stage;
    if (verifiesHosting && stage === 'PREPARING' && hostingLookedUp !== JSON.stringify(state.facts.hosting)) {
      await verifyInPreparing();
      continue;
    }
    const { smsVerificationDue, reviewDue, psbFilingDue } = state.deadlines;
    if (stage === 'AWAITING_CERTIFICATE' && !certificateChild) {
      certificateChild = await startChild(certificateWorkflow, {
        workflowId: certificateWorkflowId(state.caseId),
        args: [{ caseId: state.caseId, applicantName: state.facts.applicant.name, province: state.facts.submissionProvince }],
      });
      certificateResult = certificateChild.result();
      continue;
    }
    if (stage !== 'AWAITING_CERTIFICATE' && certificateChild) {
      // Amended to a certificate of its own, or not required any more: the AIC steps are moot.
      await abandonCertificate();
      continue;
    }
    if (stage === 'AWAITING_SMS_VERIFICATION' && smsVerificationDue) {
      if (await waitForChange(smsVerificationDue)) await onClock(stage, { type: 'sms-expired' });
    } else if ((stage === 'INITIAL_REVIEW' || stage === 'MIIT_REVIEW') && reviewDue && !hasNotice('REVIEW_OVERDUE')) {
      if (await waitForChange(reviewDue)) await onClock(stage, { type: 'reminder', rule: 'REVIEW_OVERDUE' });
    } else if ((stage === 'RESOLVING' || stage === 'COMPLETED') && psbFilingDue && !state.psbFiling && !hasNotice('PSB_FILING_DUE')) {
      const dueAt = new Date(Date.parse(`${psbFilingDue}T23:59:59+08:00`)).toISOString();
      if (await waitForChange(dueAt)) await onClock(stage, { type: 'reminder', rule: 'PSB_FILING_DUE' });
    } else {
      await waitForChange();
    }
  }

  await abandonCertificate();
  log.info('case closed', { workflowId: caseWorkflowId(state.caseId), stage: state.stage });
  await condition(allHandlersFinished);
  return toCaseView(state);
}
