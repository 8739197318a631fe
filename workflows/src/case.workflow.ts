/**
 * The lifecycle of one ICP filing case. Workflow code only: deterministic, no I/O. Time comes
 * from the workflow clock (`new Date()` is replay-safe inside the sandbox), side effects go
 * through activities, rules and transitions come from the pure domain library.
 */
import {
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  log,
  upsertSearchAttributes,
  workflowInfo,
  type ExternalWorkflowHandle,
  type RetryPolicy,
} from '@temporalio/workflow';
import {
  DomainError,
  businessDaysBefore,
  decide,
  REMINDER_TITLES,
  reminderDeadlines,
  type ReminderDeadline,
  type ReminderKind,
  domainToAscii,
  expectedResolution,
  openCase,
  RuleViolationsError,
  TransitionNotAllowedError,
  lifecycleOver,
  type CaseCommand,
  type CaseState,
  type DecideContext,
  type Decision,
  type HostingCheck,
  type RuleId,
  sameLiveInstances,
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
  getProjectionStateQuery,
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
  type CaseWorkflowContinuation,
} from '../../libs/contracts/src';
import type { CaseActivities, DocumentProjection, HostingActivities, ReminderActivities } from '../../libs/contracts/src';
import { hostingWatchedSignal, refreshHostingUpdate, type RefreshHostingInput } from '../../libs/contracts/src';
import { certificateWorkflow } from './certificate.workflow';

/**
 * Short attempts, quick retries: an attempt lost with a dead worker is retried a few seconds
 * after it was taken (not after ICP_UPDATE_TIMEOUT), and a retry after an outage waits at most 5 s.
 * The projection and the claim are a few rows in one transaction; the DNS check bounds itself
 * (DnsResolutionChecker.deadlineMs) well inside its own timeout.
 */
const retry: RetryPolicy = { initialInterval: '500 milliseconds', maximumInterval: '5 seconds', backoffCoefficient: 2 };
const activities = proxyActivities<Pick<CaseActivities, 'projectCase' | 'findOpenOrders' | 'claimOrder'>>({
  startToCloseTimeout: '5 seconds',
  retry,
});
const checks = proxyActivities<Pick<CaseActivities, 'checkResolution'>>({ startToCloseTimeout: '15 seconds', retry });

/** patched() ids: behaviour that runs started before it would not have recorded. */
const PATCH_ORDER_CLAIM = 'order-claim';
const PATCH_QUIET_REPEATED_DNS_FAILURE = 'quiet-repeated-dns-failure';
const PATCH_CERTIFICATE_SURVIVES_RUN = 'certificate-child-survives-continue-as-new';
const PATCH_ENGINE_CANCELLATION = 'engine-cancellation-withdraws';
const PATCH_CDN_DOMAIN_ASKED = 'cdn-domain-asked';
const PATCH_HOSTING_WATCHED_SIGNAL = 'hosting-watched-signal';
/**
 * The loop looks again when an update moved the case while it awaited the reminders: before it,
 * a withdrawal handled in that gap left the loop waiting for a change that had already happened,
 * and the withdrawn case's workflow never closed.
 */
const PATCH_LOOP_LOOKS_AGAIN = 'loop-looks-again-after-reminders';

/** What a withdrawal by the engine (Temporal's "Request Cancellation") records. */
export const CANCELLED_IN_TEMPORAL = 'cancelled in Temporal';

/** One proxy per reminder rule, so the Temporal UI names each activity ("MIIT review due"). */
const notifiers = new Map<string, ReminderActivities['notifyCase']>();
function notifier(title: string): ReminderActivities['notifyCase'] {
  let notify = notifiers.get(title);
  if (!notify) {
    notify = proxyActivities<ReminderActivities>({
      startToCloseTimeout: '30 seconds',
      retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
      summary: title,
    }).notifyCase;
    notifiers.set(title, notify);
  }
  return notify;
}

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
  const continued: CaseWorkflowContinuation | undefined = input.continued;
  // The owner is data, not a decision: adding it changed no command, so old histories replay as they were.
  const view = (): CaseView => toCaseView(state, input.applicantId ?? null, closed || undefined);
  // Workflows begun before the 2026-11-30 rule revision keep its lifecycle (PSB filing due from
  // approval, RETURNED kept on an amendment to presence NONE): their recorded histories replay as they ran.
  // A continued run keeps its case's choice (a continuation from before the revision had none: legacy).
  const legacyLifecycle = continued ? continued.legacyLifecycle !== false : !patched('lifecycle-2026-11-30');
  // Workflows begun before the hosting checks replay without them (no verifyHosting activity).
  const verifiesHosting = patched('verify-hosting-2026-11-30');
  const ctx = (): DecideContext => ({
    now: new Date().toISOString(),
    config: input.config,
    smsWindowMs: input.smsWindowMs,
    legacyLifecycle,
  });
  const opening = continued ? null : openCase(input.newCase, ctx());
  let state: CaseState = continued ? continued.state : opening!.state;
  let seq = continued?.seq ?? 0;
  let projected = Boolean(continued);
  /** The workflow is closing (lifecycle over, or cancelled): it accepts no more updates. */
  let closed = false;
  let repeatedFailedChecks = continued?.repeatedFailedChecks ?? 0;
  const run = continued?.run ?? 0;
  const serial = new Serial();
  /**
   * The certificate child: started by this run (its result awaited), or started by an earlier run
   * and adopted by its stable id (signals only). `survives`: it outlives this run (ABANDON policy).
   */
  let certificateChild: { signal: ExternalWorkflowHandle['signal']; survives: boolean } | null = null;
  let certificateResult: Promise<CertificateWorkflowResult> | null = null;
  if (continued?.certificateChildRunning) {
    const external = getExternalWorkflowHandle(certificateWorkflowId(state.caseId));
    certificateChild = { signal: external.signal.bind(external), survives: true };
  }

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
      view: view(),
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
    return view();
  };

  /** A validator: rejects the command before it reaches history if `decide` would refuse it now. */
  const validate = (command: CaseCommand) => (..._args: unknown[]): void => {
    if (closed || lifecycleOver(state.stage, Boolean(state.psbFiling))) {
      throw toFailure(new TransitionNotAllowedError(state.stage, command.type, []));
    }
    rethrowAsFailure(() => decide(state, command, ctx()));
  };

  const handle = <A extends Actor>(toCommand: (arg: A) => CaseCommand) => ({
    handler: (arg: A) => serial.run(() => apply(toCommand(arg), arg.actor)),
    validator: (arg: A) => validate(toCommand(arg))(),
  });

  setHandler(getCaseQuery, () => view());
  setHandler(getProjectionStateQuery, () => ({
    view: view(),
    seq,
    entityKey: entityKey(state.facts.applicant),
    repeatedFailedChecks,
    run,
  }));
  setHandler(openCaseUpdate, async () => {
    await condition(() => projected);
    return view();
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
        } else if (certificateChild) {
          // Adopted from an earlier run: its result is not ours to await; it closes on this signal.
          await certificateChild.signal(certificateIssuedSignal, arg.certificate);
          certificateChild = null;
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
    // The CDN domain the case names (opened with hosting.cdnDomain) is asked too, or every later
    // look would find its CDN gone. Only cases that store one ask the patch (none did before it).
    const named = state.facts.hosting.cdn?.domain;
    if (named && patched(PATCH_CDN_DOMAIN_ASKED)) domains.push(domainToAscii(named) ?? named);
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
        const key = entityKey(state.facts.applicant);
        if (patched(PATCH_ORDER_CLAIM)) {
          // Only one filing order per entity may be open: the submission takes the entity's claim
          // (a unique row) in its own step, once every other rule passes; the projection of the
          // order's close releases it.
          rethrowAsFailure(() => decide(state, { type: 'submit', openOrders: [], hosting }, ctx()));
          const { heldBy } = await activities.claimOrder({ caseId: state.caseId, reference: state.reference, entityKey: key, version: state.version });
          return apply({ type: 'submit', openOrders: heldBy ? [heldBy] : [], hosting }, arg.actor);
        }
        const { references } = await activities.findOpenOrders({ caseId: state.caseId, entityKey: key });
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

  // The reminder sweep's look at the instances after approval: recorded (hosting.watched, by the
  // system) when it tells the case something its last look did not; anything else is ignored, so a
  // signal can never fail the case.
  setHandler(hostingWatchedSignal, (check: HostingCheck) => {
    // Determinism: during a rolling deploy a worker without this handler may take the signal; it
    // buffers it and issues no command. Replayed on this code, the handler would then issue
    // commands that history does not have. The marker tells the two apart: without it in history
    // (replaying such a task) the signal is ignored, as the old worker did; taken live, the marker is
    // recorded and the look applies. Checked per signal: a later signal taken live applies.
    if (!patched(PATCH_HOSTING_WATCHED_SIGNAL)) return;
    return serial.run(async () => {
      if (closed || check.outcome !== 'CHECKED' || !check.watch || sameLiveInstances(state.hostingCheck, check)) return;
      let decision: Decision;
      try {
        decision = decide(state, { type: 'hosting-watched', check }, ctx());
      } catch (error) {
        log.info('hosting look ignored', { stage: state.stage, error: String(error) });
        return;
      }
      await record(decision, 'system');
    });
  });

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
        const { checks: found } = expected
          ? await checks.checkResolution({ domains, expected })
          : { checks: domains.map((domain) => ({ domain, expected: { type: 'A' as const, value: '(no SLB, CDN or public IP)' }, found: [], resolved: false, error: 'nothing to resolve to' })) };
        const command: CaseCommand = { type: 'resolution', checks: found };
        const decision = rethrowAsFailure(() => decide(state, command, ctx()));
        if (decision.violations && sameNotices(decision.violations, state.notices) && patched(PATCH_QUIET_REPEATED_DNS_FAILURE)) {
          // The same failure as last time: answer it (422) without recording it again, so a
          // client polling a domain that does not resolve yet does not grow the history or the
          // audit trail by an event per check. Counted, and carried across runs.
          repeatedFailedChecks += 1;
          throw toFailure(new RuleViolationsError(decision.violations, 'The domains do not resolve yet'));
        }
        return apply(command, arg.actor);
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

  if (opening) await serial.run(() => record(opening, input.actor));
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
  /** History is long enough to continue as new (the server's suggestion, or the configured budget). */
  const historyFull = (): boolean => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || (Boolean(input.historyEventBudget) && info.historyLength >= input.historyEventBudget!);
  };
  /** A child this run started without ABANDON would be terminated by continue-as-new: wait for it. */
  const mayContinueAsNew = (): boolean => historyFull() && (!certificateChild || certificateChild.survives);
  /** Waits for any change to the case, or until `deadline`; true when the deadline passed first. */
  const waitForChange = async (deadline?: string): Promise<boolean> => {
    const version = state.version;
    const changed = () => state.version !== version || mayContinueAsNew();
    if (reminding) {
      // Wake for the next reminder first when it comes before the stage's own deadline.
      const wake = nextWake(deadline);
      if (wake) {
        await condition(changed, millisUntil(wake.at), { summary: wake.summary });
        return false;
      }
    }
    if (!deadline) {
      await condition(changed);
      return false;
    }
    return !(await condition(changed, millisUntil(deadline)));
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


  // Reminders (cases opened with reminder settings): a timer ahead of and at each deadline raises
  // a notification through an activity; a transition that changes or clears a deadline drops it.
  const reminding = input.reminders !== undefined && patched('case-reminders');
  const sent = new Set<string>(input.continued?.remindersSent ?? []);
  const reminderKey = (r: ReminderDeadline, kind: ReminderKind) => `${r.rule}|${kind}|${r.due}`;
  /** The reminders of the current deadlines not sent yet, each with when it is due to go out. */
  const pendingReminders = (): { at: number; reminder: ReminderDeadline; kind: ReminderKind }[] => {
    if (!reminding || !input.reminders) return [];
    return reminderDeadlines(state.deadlines, input.reminders, input.config.calendar, businessDaysBefore)
      .flatMap((r) => [
        { at: Date.parse(r.remindFrom), reminder: r, kind: 'UPCOMING' as const },
        { at: Date.parse(r.due), reminder: r, kind: 'OVERDUE' as const },
      ])
      .filter((p) => !sent.has(reminderKey(p.reminder, p.kind)))
      // Past the deadline, the ahead-of-time reminder is moot: only the overdue one goes out.
      .filter((p) => !(p.kind === 'UPCOMING' && Date.parse(p.reminder.due) <= Math.max(p.at, new Date().getTime())));
  };
  const sendDueReminders = async (): Promise<void> => {
    const now = new Date().getTime();
    for (const p of pendingReminders().filter((x) => x.at <= now)) {
      sent.add(reminderKey(p.reminder, p.kind));
      await notifier(REMINDER_TITLES[p.reminder.rule])({
        caseId: state.caseId,
        caseReference: state.reference,
        assignee: state.assignee,
        rule: p.reminder.rule,
        kind: p.kind,
        deadline: p.reminder.due,
      });
    }
  };
  /** The next reminder's instant (ISO), if it comes before `deadline` (or there is no deadline). */
  const nextWake = (deadline?: string): { at: string; summary: string } | null => {
    const next = pendingReminders().sort((a, b) => a.at - b.at)[0];
    // A reminder at the very instant of the deadline goes out first (the SMS window: then the case returns).
    if (!next || (deadline && Date.parse(deadline) < next.at)) return null;
    return {
      at: new Date(Math.max(next.at, new Date().getTime())).toISOString(),
      summary: `${REMINDER_TITLES[next.reminder.rule]}${next.kind === 'UPCOMING' ? ' (reminder ahead)' : ''}`,
    };
  };

  try {
    while (!lifecycleOver(state.stage, Boolean(state.psbFiling))) {
      if (mayContinueAsNew()) {
        // Bounded history: finish the updates in flight, then hand everything to a new run.
        await condition(allHandlersFinished);
        if (lifecycleOver(state.stage, Boolean(state.psbFiling))) break;
        log.info('case continues as new', { workflowId: caseWorkflowId(state.caseId), historyLength: workflowInfo().historyLength, run });
        await continueAsNew<typeof caseWorkflow>({
          ...input,
          continued: {
            state,
            seq,
            certificateChildRunning: Boolean(certificateChild),
            repeatedFailedChecks,
            run: run + 1,
            legacyLifecycle,
            remindersSent: [...sent],
          },
        });
      }
      if (reminding) {
        const seen = state.version;
        await sendDueReminders();
        if (state.version !== seen && patched(PATCH_LOOP_LOOKS_AGAIN)) continue;
      }
      const stage = state.stage;
      if (verifiesHosting && stage === 'PREPARING' && hostingLookedUp !== JSON.stringify(state.facts.hosting)) {
        await verifyInPreparing();
        continue;
      }
      const { smsVerificationDue, reviewDue, psbFilingDue } = state.deadlines;
      if (stage === 'AWAITING_CERTIFICATE' && !certificateChild) {
        // Started outside the case's cancellation scope: a cancelled case closes it itself (below).
        // With ABANDON it outlives a continue-as-new of the case, whose next run adopts it by id.
        const survives = patched(PATCH_CERTIFICATE_SURVIVES_RUN);
        const child = await CancellationScope.nonCancellable(() =>
          startChild(certificateWorkflow, {
            workflowId: certificateWorkflowId(state.caseId),
            args: [{ caseId: state.caseId, applicantName: state.facts.applicant.name, province: state.facts.submissionProvince }],
            ...(survives ? { parentClosePolicy: ParentClosePolicy.ABANDON } : {}),
          }),
        );
        certificateChild = { signal: child.signal.bind(child), survives };
        certificateResult = child.result();
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
  } catch (error) {
    if (!isCancellation(error) || !patched(PATCH_ENGINE_CANCELLATION)) throw error;
    // Cancelled in Temporal (the UI's "Request Cancellation"): the case is withdrawn by the
    // system where a withdrawal applies, the certificate child is closed, and the final state
    // (accepting nothing) is projected. None of this may itself be cancelled.
    await CancellationScope.nonCancellable(async () => {
      closed = true;
      await serial.run(async () => {
        const withdraw: CaseCommand = { type: 'withdraw', reason: CANCELLED_IN_TEMPORAL };
        let decision: Decision;
        try {
          decision = decide(state, withdraw, ctx());
        } catch {
          // After approval a withdrawal does not apply: the stage stays, and the case is closed.
          decision = {
            state: { ...state, version: state.version + 1, updatedAt: ctx().now },
            event: { type: 'case.closed', fromStage: state.stage, toStage: state.stage, data: { reason: CANCELLED_IN_TEMPORAL } },
          };
        }
        await record(decision, 'system');
      });
      await abandonCertificate();
    });
    log.info('case cancelled in Temporal', { workflowId: caseWorkflowId(state.caseId), stage: state.stage });
    throw error;
  }

  closed = true;
  await abandonCertificate();
  log.info('case closed', { workflowId: caseWorkflowId(state.caseId), stage: state.stage });
  await condition(allHandlersFinished);
  return view();
}

/** The same DNS_NOT_RESOLVED findings as the case already carries (the same failure again). */
function sameNotices(violations: { rule: string; message: string }[], notices: { rule: string; message: string }[]): boolean {
  const dns = notices.filter((n) => n.rule === 'DNS_NOT_RESOLVED');
  return violations.length === dns.length && violations.every((v, i) => v.rule === dns[i].rule && v.message === dns[i].message);
}
