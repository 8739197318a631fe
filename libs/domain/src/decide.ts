import { addBusinessDays, addDays, addDurationMs, chinaDate } from './dates';
import { calendarFindings, deriveDeadlines, NO_DEADLINES, type Deadlines } from './deadlines';
import { DomainError, RuleViolationsError, ValidationFailedError, VersionConflictError } from './errors';
import { checkIcpNumber } from './icp-number';
import type { RuleConfig } from './rule-config';
import { asRisks, blocking, evaluateRules, finding, isFilingRequired } from './rules';
import { hostingFindings, withLiveFacts, type HostingCheck, type HostingSource } from './live-facts';
import { APPROVED_STAGES, assertAllowed, type Stage } from './stages';
import { slotProblem } from './documents';
import type { CaseFacts, Certificate, DocumentState, DocumentType, Finding, IsoDate, IsoInstant, RuleId } from './types';

export type { Deadlines } from './deadlines';

/** The whole state of one case: owned by its workflow, projected to Postgres. */
export interface CaseState {
  caseId: string;
  reference: string;
  stage: Stage;
  version: number;
  facts: CaseFacts;
  /** Rule findings followed by lifecycle notices (SMS expiry, DNS, reminders). */
  findings: Finding[];
  /** Findings raised by the lifecycle rather than the facts; kept until what raised them is over. */
  notices: Finding[];
  icpNumber: string | null;
  assignee: string | null;
  certificateApplication: { authority: string; appliedAt: IsoDate } | null;
  deadlines: Deadlines;
  returnReasons: string[];
  /** The current document of each slot, as uploaded and reviewed. */
  documents: DocumentState[];
  /** Whether the document rules (DOCUMENT_MISSING, …) are enforced for this case. */
  enforceDocuments: boolean;
  firstSubmittedAt: IsoInstant | null;
  psbFiling: { recordNumber: string; filedAt: IsoDate } | null;
  /** The day the site went live (resolution verified), from which the PSB filing is due. Absent in states begun before 2026-11-30. */
  liveAt?: IsoDate | null;
  withdrawal: { reason: string } | null;
  /** The last look at the cloud account for this hosting (absent before it was first checked). */
  hostingCheck?: HostingCheck | null;
  createdAt: IsoInstant;
  updatedAt: IsoInstant;
}

export interface DnsCheck {
  domain: string;
  expected: { type: 'A' | 'CNAME'; value: string };
  found: string[];
  resolved: boolean;
  error: string | null;
}

export type FactChanges = Partial<Pick<CaseFacts, 'filingType' | 'submissionProvince' | 'applicant' | 'websites' | 'hosting'>>;

export type CaseCommand =
  | { type: 'certificate-application'; authority: string; appliedAt: IsoDate }
  | { type: 'certificate'; certificate: Certificate }
  | { type: 'amend'; changes: FactChanges; expectedVersion?: number }
  | { type: 'submit'; openOrders: string[]; hosting?: HostingCheck }
  | { type: 'hosting-verified'; check: HostingCheck }
  | { type: 'hosting-refresh'; check: HostingCheck }
  | { type: 'hosting-watched'; check: HostingCheck }
  | { type: 'initial-review'; decision: 'APPROVED' | 'RETURNED'; reasons?: string[] }
  | { type: 'sms-verification' }
  | { type: 'sms-expired' }
  | { type: 'miit-decision'; decision: 'APPROVED' | 'REJECTED'; icpNumber?: string; reasons?: string[] }
  | { type: 'resolution'; checks: DnsCheck[] }
  | { type: 'withdraw'; reason: string }
  | { type: 'assign'; assignee: string | null }
  | { type: 'psb-filing'; recordNumber: string; filedAt: IsoDate }
  | { type: 'reminder'; rule: 'REVIEW_OVERDUE' | 'PSB_FILING_DUE' }
  | { type: 'upload-document'; document: { id: string; type: DocumentType; websiteIndex: number | null; sha256: string } }
  | { type: 'review-document'; documentId: string; decision: 'ACCEPTED' | 'REJECTED'; reason: string | null };

export interface DecideContext {
  now: IsoInstant;
  config: RuleConfig;
  smsWindowMs: number;
  /**
   * Set by workflows begun before the 2026-11-30 lifecycle changes (their replays must see the old
   * behaviour): the PSB filing counts from approval, and amending a RETURNED case to presence NONE
   * without a certificate keeps it RETURNED. Absent means the current behaviour.
   */
  legacyLifecycle?: boolean;
}

/** An audit event: what happened, from which stage to which, with its data. */
export interface CaseEventDraft {
  type: string;
  fromStage: Stage | null;
  toStage: Stage;
  data: Record<string, unknown>;
}

export interface Decision {
  state: CaseState;
  event: CaseEventDraft;
  /** Set when the command was recorded but did not succeed (a failed DNS check): answer 422 with these. */
  violations?: Finding[];
}

export interface NewCase {
  caseId: string;
  reference: string;
  facts: CaseFacts;
  assignee?: string | null;
  /** Enforce the document rules (DOCUMENT_MISSING, …) for this case. */
  enforceDocuments: boolean;
  /** Opened from instance ids: where the hosting facts came from (recorded in `case.created`), and that look. */
  hostingSource?: HostingSource;
  hostingCheck?: HostingCheck;
}

/** The stage a case starts in, or returns to after an amendment, from its facts. */
export function stageFromFacts(facts: CaseFacts, config: RuleConfig): Stage {
  if (!isFilingRequired(facts, config)) return 'NOT_REQUIRED';
  if (facts.applicant.mainlandPresence === 'NONE' && !facts.applicant.certificate) return 'AWAITING_CERTIFICATE';
  return 'PREPARING';
}

function withFindings(state: CaseState, ctx: DecideContext): CaseState {
  const ruleCtx = {
    now: ctx.now,
    config: ctx.config,
    documents: state.documents,
    enforceDocuments: state.enforceDocuments,
    icpNumber: state.icpNumber,
  };
  const approved = APPROVED_STAGES.includes(state.stage);
  const evaluated = [
    ...evaluateRules(state.facts, ruleCtx),
    ...(state.hostingCheck ? hostingFindings(state.facts, state.hostingCheck, ruleCtx, approved) : []),
  ];
  const ruleFindings = approved ? asRisks(evaluated) : evaluated;
  // After approval the reminder sweep watches the instances: the renewal is due when the live subscription ends.
  const check = state.hostingCheck;
  const clockFacts = check?.outcome === 'CHECKED' && check.watch ? withLiveFacts(state.facts, check) : state.facts;
  const deadlines = deriveDeadlines(state.deadlines, state.stage, clockFacts, Boolean(state.psbFiling), ctx.config);
  return { ...state, deadlines, findings: [...ruleFindings, ...calendarFindings(deadlines), ...state.notices] };
}

export function openCase(input: NewCase, ctx: DecideContext): Decision {
  const stage = stageFromFacts(input.facts, ctx.config);
  const state = withFindings(
    {
      caseId: input.caseId,
      reference: input.reference,
      stage,
      version: 1,
      facts: input.facts,
      findings: [],
      notices: [],
      icpNumber: null,
      assignee: input.assignee ?? null,
      certificateApplication: null,
      deadlines: NO_DEADLINES,
      returnReasons: [],
      documents: [],
      enforceDocuments: input.enforceDocuments,
      firstSubmittedAt: null,
      psbFiling: null,
      liveAt: null,
      withdrawal: null,
      ...(input.hostingCheck ? { hostingCheck: input.hostingCheck } : {}),
      createdAt: ctx.now,
      updatedAt: ctx.now,
    },
    ctx,
  );
  const data = input.hostingSource ? { stage, hostingSource: input.hostingSource } : { stage };
  return { state, event: { type: 'case.created', fromStage: null, toStage: stage, data } };
}

function without(notices: Finding[], ...rules: RuleId[]): Finding[] {
  return notices.filter((n) => !rules.includes(n.rule));
}

/**
 * Applies one command to a case: pure, synchronous, time passed in. Throws a DomainError when the
 * command does not apply (wrong stage, stale version, broken rules); the workflow's update
 * validators call it to reject commands before they reach history.
 */
export function decide(current: CaseState, command: CaseCommand, ctx: DecideContext): Decision {
  assertAllowed(current.stage, command.type);
  const from = current.stage;
  const next = (
    changes: Partial<CaseState>,
    type: string,
    data: Record<string, unknown> = {},
    violations?: Finding[],
  ): Decision => {
    const state = withFindings(
      { ...current, ...changes, version: current.version + 1, updatedAt: ctx.now },
      ctx,
    );
    return { state, event: { type, fromStage: from, toStage: state.stage, data }, violations };
  };

  switch (command.type) {
    case 'certificate-application':
      return next(
        { certificateApplication: { authority: command.authority, appliedAt: command.appliedAt } },
        'certificate.applied',
        { authority: command.authority, appliedAt: command.appliedAt },
      );

    case 'certificate': {
      const facts = { ...current.facts, applicant: { ...current.facts.applicant, certificate: command.certificate } };
      return next({ facts, stage: 'PREPARING' }, 'certificate.recorded', { certificate: command.certificate });
    }

    case 'amend': {
      if (command.expectedVersion !== undefined && command.expectedVersion !== current.version) {
        throw new VersionConflictError(command.expectedVersion, current.version);
      }
      const changed = Object.keys(command.changes).filter(
        (k) => command.changes[k as keyof FactChanges] !== undefined,
      );
      if (changed.length === 0) {
        throw new ValidationFailedError([{ field: 'body', message: 'nothing to amend' }], 'The amendment changes nothing');
      }
      const facts: CaseFacts = { ...current.facts, ...stripUndefined(command.changes) };
      if (current.firstSubmittedAt && facts.submissionProvince !== current.facts.submissionProvince) {
        throw new RuleViolationsError(
          [
            finding(
              'PROVINCE_MISMATCH',
              `The filing was submitted in ${current.facts.submissionProvince}; a filing's province can never be changed`,
              'submissionProvince',
            ),
          ],
          "A filing's province can never be changed after submission",
        );
      }
      let stage = stageFromFacts(facts, ctx.config);
      // A returned case stays returned (to be resubmitted), unless it left the scope or now waits
      // for its AIC certificate (presence NONE without one).
      const keepsReturned = stage === 'PREPARING' || (ctx.legacyLifecycle && stage === 'AWAITING_CERTIFICATE');
      if (current.stage === 'RETURNED' && keepsReturned) stage = 'RETURNED';
      // New hosting facts: the last look at the cloud account was about the old ones.
      const hostingCheck = command.changes.hosting ? null : current.hostingCheck;
      return next({ facts, stage, ...(current.hostingCheck !== undefined ? { hostingCheck } : {}) }, 'case.amended', { changed });
    }

    case 'submit': {
      const hostingCheck = command.hosting ?? current.hostingCheck;
      const evaluated = withFindings({ ...current, hostingCheck }, ctx);
      const openOrders = command.openOrders.map((reference) =>
        finding(
          'ORDER_ALREADY_OPEN',
          `The entity already has an open filing order (${reference}): only one may be open at a time`,
          'applicant.name',
        ),
      );
      const blockers = [...blocking(evaluated.findings), ...openOrders];
      if (blockers.length > 0) throw new RuleViolationsError(blockers);
      return next(
        {
          stage: 'INITIAL_REVIEW',
          ...(command.hosting ? { hostingCheck: command.hosting } : {}),
          notices: without(current.notices, 'SMS_VERIFICATION_EXPIRED', 'REVIEW_OVERDUE'),
          returnReasons: [],
          firstSubmittedAt: current.firstSubmittedAt ?? ctx.now,
          deadlines: {
            ...NO_DEADLINES,
            reviewDue: addBusinessDays(ctx.now, ctx.config.initialReviewBusinessDays, ctx.config.calendar),
          },
        },
        current.firstSubmittedAt ? 'case.resubmitted' : 'case.submitted',
      );
    }

    case 'initial-review':
      if (command.decision === 'RETURNED') {
        return returned(next, current, command.reasons ?? [], 'initial-review.returned');
      }
      return next(
        {
          stage: 'AWAITING_SMS_VERIFICATION',
          notices: without(current.notices, 'REVIEW_OVERDUE'),
          deadlines: { ...NO_DEADLINES, smsVerificationDue: addDurationMs(ctx.now, ctx.smsWindowMs) },
        },
        'initial-review.approved',
      );

    case 'sms-verification': {
      const days = ctx.config.provinces[current.facts.submissionProvince]?.miitReviewBusinessDays ?? 20;
      return next(
        {
          stage: 'MIIT_REVIEW',
          deadlines: { ...NO_DEADLINES, reviewDue: addBusinessDays(ctx.now, days, ctx.config.calendar) },
        },
        'sms.verified',
      );
    }

    case 'sms-expired': {
      const notice = finding(
        'SMS_VERIFICATION_EXPIRED',
        `The SMS verification was not completed by ${current.deadlines.smsVerificationDue}: the application was rejected; correct and resubmit`,
        'deadlines.smsVerificationDue',
      );
      return next(
        {
          stage: 'RETURNED',
          notices: [...without(current.notices, 'SMS_VERIFICATION_EXPIRED'), notice],
          deadlines: NO_DEADLINES,
          returnReasons: [notice.message],
        },
        'sms.expired',
        { due: current.deadlines.smsVerificationDue },
      );
    }

    case 'miit-decision': {
      if (command.decision === 'REJECTED') {
        return returned(next, current, command.reasons ?? [], 'miit.rejected');
      }
      const icpNumber = command.icpNumber?.trim() ?? '';
      const check = checkIcpNumber(icpNumber, current.facts.submissionProvince, ctx.config, current.facts.filingType);
      if (!icpNumber || !check.valid) {
        throw new RuleViolationsError(
          [
            finding(
              'ICP_NUMBER_INVALID',
              icpNumber ? (check as { reason: string }).reason : 'An approval needs the ICP number MIIT issued',
              'icpNumber',
            ),
          ],
          'The ICP number is not valid for this case',
        );
      }
      return next(
        {
          stage: 'RESOLVING',
          icpNumber,
          notices: without(current.notices, 'REVIEW_OVERDUE'),
          deadlines: {
            ...NO_DEADLINES,
            psbFilingDue: ctx.legacyLifecycle ? addDays(chinaDate(ctx.now), ctx.config.psbFilingDays) : null,
          },
        },
        'miit.approved',
        { icpNumber },
      );
    }

    case 'resolution': {
      const failed = command.checks.filter((c) => !c.resolved);
      const checks = command.checks.map(({ domain, expected, found, resolved }) => ({ domain, expected, found, resolved }));
      if (failed.length > 0) {
        const notices = failed.map((c) =>
          finding(
            'DNS_NOT_RESOLVED',
            `${c.domain} must have ${c.expected.type === 'A' ? 'an A record to' : 'a CNAME to'} ${c.expected.value}; found ${
              c.found.length ? c.found.join(', ') : c.error ?? 'nothing'
            }`,
            `websites.domains`,
          ),
        );
        return next({ notices: [...without(current.notices, 'DNS_NOT_RESOLVED'), ...notices] }, 'resolution.failed', { checks }, notices);
      }
      if (ctx.legacyLifecycle) {
        return next(
          { stage: 'COMPLETED', notices: without(current.notices, 'DNS_NOT_RESOLVED'), deadlines: { ...current.deadlines, reviewDue: null } },
          'resolution.verified',
          { checks },
        );
      }
      // The site goes live the day its resolution is verified: the PSB filing is due 30 days later.
      const liveAt = chinaDate(ctx.now);
      const psbFilingDue = current.psbFiling ? null : addDays(liveAt, ctx.config.psbFilingDays);
      return next(
        {
          stage: 'COMPLETED',
          liveAt,
          notices: without(current.notices, 'DNS_NOT_RESOLVED'),
          deadlines: { ...current.deadlines, reviewDue: null, psbFilingDue },
        },
        'resolution.verified',
        { checks, liveAt },
      );
    }

    case 'withdraw':
      return next(
        { stage: 'WITHDRAWN', withdrawal: { reason: command.reason }, deadlines: NO_DEADLINES },
        'case.withdrawn',
        { reason: command.reason },
      );

    case 'assign':
      return next({ assignee: command.assignee }, 'case.assigned', { from: current.assignee, to: command.assignee });

    case 'psb-filing':
      return next(
        {
          psbFiling: { recordNumber: command.recordNumber, filedAt: command.filedAt },
          notices: without(current.notices, 'PSB_FILING_DUE'),
          deadlines: { ...current.deadlines, psbFilingDue: null },
        },
        'psb-filing.recorded',
        { recordNumber: command.recordNumber, filedAt: command.filedAt },
      );

    case 'upload-document': {
      const { id, type, websiteIndex, sha256 } = command.document;
      const problem = slotProblem(type, websiteIndex, current.facts.websites.length);
      if (problem) throw new ValidationFailedError([{ field: 'websiteIndex', message: problem }]);
      const documents = [
        ...current.documents.filter((d) => !(d.type === type && d.websiteIndex === websiteIndex)),
        { id, type, websiteIndex, status: 'PENDING' as const },
      ];
      return next({ documents }, 'document.uploaded', { documentId: id, type, websiteIndex, sha256 });
    }

    case 'review-document': {
      const document = current.documents.find((d) => d.id === command.documentId);
      if (!document) {
        throw new DomainError('DOCUMENT_SUPERSEDED', 'Only the current version of a document can be reviewed', {
          documentId: command.documentId,
        });
      }
      if (command.decision === 'REJECTED' && !command.reason?.trim()) {
        throw new ValidationFailedError([{ field: 'reason', message: 'a rejection needs a reason' }]);
      }
      const documents = current.documents.map((d) => (d === document ? { ...d, status: command.decision } : d));
      return next({ documents }, 'document.reviewed', {
        documentId: command.documentId,
        type: document.type,
        websiteIndex: document.websiteIndex,
        decision: command.decision,
        reason: command.reason,
      });
    }

    case 'hosting-verified':
      return next({ hostingCheck: command.check }, 'hosting.verified', checkSummary(command.check));

    case 'hosting-refresh': {
      if (command.check.outcome !== 'CHECKED') {
        const state = withFindings({ ...current, hostingCheck: command.check }, ctx);
        throw new RuleViolationsError(
          state.findings.filter((f) => f.rule === 'CLOUD_FACTS_UNVERIFIED'),
          'The live facts could not be read from the cloud account',
        );
      }
      const facts = withLiveFacts(current.facts, command.check);
      const differences = hostingDifferences(current.facts, facts);
      let stage = stageFromFacts(facts, ctx.config);
      if (current.stage === 'RETURNED' && stage === 'PREPARING') stage = 'RETURNED';
      return next({ facts, stage, hostingCheck: command.check }, 'hosting.refreshed', { ...checkSummary(command.check), differences });
    }

    case 'hosting-watched': {
      // After approval the filed facts stay as filed; the look is recorded, its differences are
      // WARNINGs (the filing is at risk), and the renewal deadline follows the live expiry.
      const differences = hostingDifferences(current.facts, withLiveFacts(current.facts, command.check));
      return next({ hostingCheck: command.check }, 'hosting.watched', { ...checkSummary(command.check), differences });
    }

    case 'reminder': {
      const notice =
        command.rule === 'REVIEW_OVERDUE'
          ? finding(
              'REVIEW_OVERDUE',
              `The ${current.stage === 'MIIT_REVIEW' ? 'MIIT' : 'initial'} review was due by ${current.deadlines.reviewDue}: follow it up`,
              'deadlines.reviewDue',
            )
          : finding(
              'PSB_FILING_DUE',
              `The public-security (PSB) filing was due by ${current.deadlines.psbFilingDue} and is not recorded`,
              'deadlines.psbFilingDue',
            );
      return next({ notices: [...without(current.notices, command.rule), notice] }, 'reminder', { rule: command.rule });
    }
  }
}

function returned(
  next: (changes: Partial<CaseState>, type: string, data?: Record<string, unknown>) => Decision,
  current: CaseState,
  reasons: string[],
  type: string,
): Decision {
  return next(
    {
      stage: 'RETURNED',
      returnReasons: reasons,
      notices: without(current.notices, 'REVIEW_OVERDUE'),
      deadlines: NO_DEADLINES,
    },
    type,
    { reasons },
  );
}

/** What the audit event of a look at the cloud account says. */
function checkSummary(check: HostingCheck): Record<string, unknown> {
  if (check.outcome === 'CHECKED') {
    return { outcome: check.outcome, instances: check.instances.map((i) => i.instanceId), cdnDomains: check.cdn.map((c) => c.domain) };
  }
  return check.outcome === 'DENIED' ? { outcome: check.outcome, code: check.code } : { outcome: check.outcome };
}

/** The hosting facts a refresh changed, each with the value before and after (for the audit trail). */
export function hostingDifferences(before: CaseFacts, after: CaseFacts): { path: string; from: unknown; to: unknown }[] {
  const out: { path: string; from: unknown; to: unknown }[] = [];
  before.hosting.instances.forEach((b, n) => {
    const a = after.hosting.instances[n];
    for (const key of ['regionId', 'billing', 'expiresAt', 'publicIp'] as const) {
      if ((b[key] ?? null) !== (a[key] ?? null)) out.push({ path: `hosting.instances[${n}].${key}`, from: b[key] ?? null, to: a[key] ?? null });
    }
  });
  if (JSON.stringify(before.hosting.cdn) !== JSON.stringify(after.hosting.cdn)) {
    out.push({ path: 'hosting.cdn', from: before.hosting.cdn, to: after.hosting.cdn });
  }
  return out;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
