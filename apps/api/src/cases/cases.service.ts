import { Injectable, Logger } from '@nestjs/common';
import { WithStartWorkflowOperation, WorkflowFailedError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, type UpdateDefinition } from '@temporalio/common';
import { createHash } from 'node:crypto';
import { AppConfig } from '../../../../libs/config/src';
import {
  caseProvinceSearchAttribute,
  caseReferenceSearchAttribute,
  caseWorkflowId,
  hostingLookupWorkflowId,
  openCaseUpdate,
  type Actor,
  type CaseSummary,
  type CaseView,
  type CaseWorkflowInput,
} from '../../../../libs/contracts/src';
import {
  businessDaysLeft,
  checklist,
  runningDeadline,
  DomainError,
  domainToAscii,
  evaluateRules,
  hostingFromLive,
  isFilingRequired,
  RuleViolationsError,
  TransitionNotAllowedError,
  unreadableHosting,
  ValidationFailedError,
  type CaseFacts,
  type ChecklistItem,
  type Finding,
  type Hosting,
  type HostingCheck,
  type HostingSource,
  type Stage,
} from '../../../../libs/domain/src';
import { CaseReadRepository, type CaseEventRow, type CaseListFilter, type CaseListPage, type CaseSummaryRow } from '../../../../libs/persistence/src';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { isWorkflowNotFound } from '../common/temporal-errors';
import type { Operation } from '../common/operation';
import { TemporalClientService } from '../temporal/temporal-client.service';
import type { caseWorkflow, hostingLookupWorkflow } from '../../../../workflows/src';
import { caseFacts, hostingRequest } from './case-facts.mapper';
import type { CaseBodyDto, CaseFilterQueryDto, CreateCaseDto, ListCasesQueryDto } from './dto';

export interface PrecheckResult {
  filingRequired: boolean;
  findings: Finding[];
  checklist: ChecklistItem[];
  /** With `hosting.instanceIds`: the facts read from the cloud account. */
  hosting?: Hosting;
}

/** Hosting facts read from the cloud account for a body with `hosting.instanceIds`. */
interface LiveHosting {
  hosting: Hosting;
  /** INSTANCE_NOT_FOUND: ids (or the CDN domain) the account does not have. */
  problems: Finding[];
  check: HostingCheck;
  source: HostingSource;
}

const DEFAULT_PAGE = 50;

/** Case use cases: reads come from the projection, every change goes through the case's workflow. */
@Injectable()
export class CasesService {
  private readonly logger = new Logger(CasesService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly temporal: TemporalClientService,
    private readonly reads: CaseReadRepository,
  ) {}

  async precheck(body: CaseBodyDto, caller: string): Promise<PrecheckResult> {
    const typed = this.knownProvinces(caseFacts(body));
    // A precheck takes no Idempotency-Key: its look is keyed on what it asks (and who asks), so a
    // retry while the look is in flight attaches to it, and one after it ended looks again.
    const live = await this.liveHosting(body, (ids, domains) => precheckLookupKey(caller, ids, domains), 'precheck');
    const facts = live ? caseFacts(body, live.hosting) : typed;
    const now = new Date().toISOString();
    return {
      filingRequired: isFilingRequired(facts, this.config.rules),
      findings: [
        ...(live?.problems ?? []),
        ...evaluateRules(facts, {
          now,
          config: this.config.rules,
          // Nothing uploaded yet: with enforcement off the document rules answer as WARNINGs, never silence.
          documents: [],
          enforceDocuments: this.config.enforceDocuments,
          icpNumber: null,
        }),
      ],
      checklist: checklist(facts, this.config.rules, []),
      ...(live ? { hosting: live.hosting } : {}),
    };
  }

  /**
   * For a body with `hosting.instanceIds`: the facts, read by the `verifyHosting` activity of a
   * `hostingLookupWorkflow` (the API does no cloud I/O of its own, and needs no cloud credentials).
   * No account configured, or a refusal: 422 CLOUD_FACTS_UNVERIFIED saying to type the facts in.
   * The account not answering after the activity's retries, or not within ICP_UPDATE_TIMEOUT: 503
   * (nothing was opened; a retry looks again). `null` when the facts are typed in.
   */
  private async liveHosting(
    body: CaseBodyDto,
    lookupKey: string | ((instanceIds: string[], cdnDomains: string[]) => string),
    purpose: 'create' | 'precheck' = 'create',
  ): Promise<LiveHosting | null> {
    const request = hostingRequest(body.hosting);
    if (!request) return null;
    const cdnDomains = request.cdnDomain
      ? [request.cdnDomain]
      : [...new Set(body.websites.flatMap((w) => w.domains.map((d) => domainToAscii(d) ?? d)))];
    const workflowId = hostingLookupWorkflowId(typeof lookupKey === 'string' ? lookupKey : lookupKey(request.instanceIds, cdnDomains));
    let check: HostingCheck;
    try {
      check = await this.withinDeadline(() =>
        this.temporal.client.workflow.execute<typeof hostingLookupWorkflow>('hostingLookupWorkflow', {
          workflowId,
          taskQueue: this.config.temporal.taskQueue,
          args: [{ instanceIds: request.instanceIds, cdnDomains }],
          // A retry of the same request attaches to a look still in flight, or looks again.
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
          workflowExecutionTimeout: '5 minutes',
        }),
      );
    } catch (error) {
      if (error instanceof DomainError) throw error;
      this.logger.warn(`${workflowId}: ${error instanceof Error ? error.message : String(error)}`);
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        LOOKUP_UNAVAILABLE[purpose][error instanceof WorkflowFailedError ? 'failed' : 'late'],
        null,
      );
    }
    if (check.outcome !== 'CHECKED') {
      throw new RuleViolationsError(unreadableHosting(check), 'The instance facts cannot be read from the cloud account: type them in');
    }
    const { hosting, problems } = hostingFromLive(request, check);
    const source: HostingSource = { from: 'CLOUD_ACCOUNT', checkedAt: check.checkedAt, instanceIds: request.instanceIds, cdnDomains, lookup: workflowId };
    return { hosting, problems, check, source };
  }

  /**
   * Opens a case: starts its workflow and answers once the first projection is written. The case
   * id is the operation's id and the reference is remembered with the Idempotency-Key, so a retry
   * of a creation answered 503 re-sends the very same start: USE_EXISTING attaches it to the
   * workflow the first attempt started (if it did), and there is one case either way. An
   * applicant's case is owned by its `applicantId`.
   */
  async create(body: CreateCaseDto, actor: string, operation: Operation, applicantId: string | null = null): Promise<CaseView> {
    // Cheap checks first: an unknown province is a 400 before the cloud account is asked anything.
    const typed = this.knownProvinces(caseFacts(body));
    if (hostingRequest(body.hosting)) {
      // A retry of a creation the first attempt opened (answered 503): the case is the answer. The
      // cloud account is not read again, so a look that fails now cannot answer 422 for a case that exists.
      const opened = await this.openedBy(operation);
      if (opened) return opened;
    }
    const live = await this.liveHosting(body, operation.id);
    // An instance the account does not have: nothing to open the case with (its region and
    // billing decide whether a filing is needed at all); the officer corrects the ids.
    if (live && live.problems.length > 0) throw new RuleViolationsError(live.problems, 'The cloud account does not have every instance named');
    // The provinces are checked above: the cloud account's facts replace the hosting only.
    const facts = live ? caseFacts(body, live.hosting) : typed;
    const caseId = operation.id;
    const reference = await operation.recall('reference', () => this.reads.nextReference(new Date().getUTCFullYear()));
    const input: CaseWorkflowInput = {
      newCase: {
        caseId,
        reference,
        facts,
        assignee: body.assignee ?? null,
        enforceDocuments: this.config.enforceDocuments,
        ...(live ? { hostingSource: live.source, hostingCheck: live.check } : {}),
      },
      config: this.config.rules,
      smsWindowMs: this.config.smsWindowMs,
      reminders: { leadBusinessDays: this.config.reminders.leadBusinessDays },
      actor,
      ...(this.config.historyEventBudget ? { historyEventBudget: this.config.historyEventBudget } : {}),
      applicantId,
    };
    const start = new WithStartWorkflowOperation<typeof caseWorkflow>('caseWorkflow', {
      workflowId: caseWorkflowId(caseId),
      taskQueue: this.config.temporal.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A case id is never reused: a retry arriving after its workflow closed must not start it again.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: caseReferenceSearchAttribute, value: reference },
        { key: caseProvinceSearchAttribute, value: facts.submissionProvince },
      ],
    });
    try {
      return await this.withinDeadline(() =>
        this.temporal.client.workflow.executeUpdateWithStart(openCaseUpdate, { startWorkflowOperation: start, updateId: operation.id }),
      );
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      // The first attempt opened the case and its lifecycle is already over: answer the case.
      return this.get(caseId);
    }
  }

  /** The case an earlier attempt of this operation opened, if it did (its projection, or its workflow once projected). */
  private async openedBy(operation: Operation): Promise<CaseView | null> {
    const caseId = operation.id;
    const view = await this.reads.findView(caseId);
    if (view) return view;
    const handle = this.temporal.client.workflow.getHandle(caseWorkflowId(caseId));
    try {
      await handle.describe();
    } catch (error) {
      if (isWorkflowNotFound(error)) return null;
      throw error;
    }
    // Started, not projected yet: the opening update answers once it is (the same update id as the first attempt's).
    try {
      return await this.withinDeadline(() => handle.executeUpdate(openCaseUpdate, { updateId: operation.id }));
    } catch (error) {
      if (!isWorkflowNotFound(error)) throw error;
      return this.get(caseId);
    }
  }

  async get(id: string): Promise<CaseView> {
    const view = await this.reads.findView(id);
    if (!view) throw caseNotFound(id);
    return view;
  }

  async events(id: string): Promise<{ items: CaseEventRow[] }> {
    const items = await this.reads.events(id);
    if (items.length === 0 && !(await this.reads.findView(id))) throw caseNotFound(id);
    return { items };
  }

  /** Whole case views (the contract's list). */
  async list(query: ListCasesQueryDto, scope: CaseScope = 'all'): Promise<{ items: CaseView[]; nextCursor: string | null }> {
    const { items, last } = await this.reads.list(this.page(query, scope));
    return { items, nextCursor: encodeCursor(last) };
  }

  /** The same page as summaries: what a worklist row needs, a fraction of the bytes. */
  async summaries(query: ListCasesQueryDto, scope: CaseScope = 'all'): Promise<{ items: CaseSummary[]; nextCursor: string | null }> {
    const { items, last } = await this.reads.summaries(this.page(query, scope));
    const now = new Date().toISOString();
    return { items: items.map((row) => this.summary(row, now)), nextCursor: encodeCursor(last) };
  }

  private page(query: ListCasesQueryDto, scope: CaseScope): CaseListPage {
    return { ...listFilter(query, scope), limit: query.limit ?? DEFAULT_PAGE, after: query.cursor ? decodeCursor(query.cursor) : undefined };
  }

  /** The worklist's counts: cases matching the list's filters, in all and by stage. */
  counts(query: CaseFilterQueryDto, scope: CaseScope = 'all'): Promise<{ total: number; byStage: Partial<Record<Stage, number>> }> {
    return this.reads.counts(listFilter(query, scope));
  }

  private summary(row: CaseSummaryRow, now: string): CaseSummary {
    const next = runningDeadline(row, false);
    return {
      id: row.id,
      reference: row.reference,
      stage: row.stage,
      version: row.version,
      filingType: row.filingType,
      submissionProvince: row.submissionProvince,
      applicant: { name: row.applicantName, countryOfRegistration: row.countryOfRegistration },
      applicantId: row.applicantId,
      domains: row.domains,
      assignee: row.assignee,
      icpNumber: row.icpNumber,
      nextDeadline: next && {
        ...next,
        businessDaysLeft: businessDaysLeft(now, next.at, this.config.rules.calendar),
        overdue: Date.parse(next.at) < Date.parse(now),
      },
      blockingFindings: row.blockingFindings,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  /**
   * Sends one transition to the case's workflow; its validator or handler decides. The update id
   * is the operation's: a retry with the same Idempotency-Key names the same update, which the
   * server applies once and answers again with its first outcome.
   */
  async act<A extends Actor>(
    id: string,
    action: string,
    update: UpdateDefinition<CaseView, [A]>,
    arg: A,
    operation: Operation,
  ): Promise<CaseView> {
    try {
      const handle = this.temporal.client.workflow.getHandle(caseWorkflowId(id));
      return await this.withinDeadline(() => handle.executeUpdate(update, { args: [arg], updateId: operation.id }));
    } catch (error) {
      if (!isWorkflowNotFound(error)) throw error;
      // No running workflow: either no such case, or its lifecycle is over.
      const view = await this.reads.findView(id);
      if (!view) throw caseNotFound(id);
      throw new TransitionNotAllowedError(view.stage, action, []);
    }
  }

  /**
   * Bounds a call to the workflow (ICP_UPDATE_TIMEOUT): a case whose worker is down or stuck
   * answers 503 SERVICE_UNAVAILABLE instead of holding the request, and a document upload's
   * database transaction, forever.
   */
  private withinDeadline<T>(fn: () => Promise<T>): Promise<T> {
    return this.temporal.client.withDeadline(Date.now() + this.config.updateTimeoutMs, fn);
  }

  private knownProvinces(facts: CaseFacts): CaseFacts {
    this.assertProvinces({
      submissionProvince: facts.submissionProvince,
      'applicant.certificate.province': facts.applicant.certificate?.province,
    });
    return facts;
  }

  /** Province codes must be in the province table: a well-formed but unknown code is a 400. */
  assertProvinces(fields: Record<string, string | undefined>): void {
    const problems = Object.entries(fields)
      .filter(([, code]) => code !== undefined && !this.config.rules.provinces[code])
      .map(([field, code]) => ({ field, message: `${code} is not a province of the mainland` }));
    if (problems.length) throw new ValidationFailedError(problems);
  }
}

/** What a 503 says when the cloud account was not read: it failed after its retries, or was late. */
const LOOKUP_UNAVAILABLE = {
  create: {
    failed: 'The cloud account did not answer (unavailable or throttled, after retries): nothing was opened; try again later or type the instance facts in',
    late: 'The cloud account was not read in time: nothing was opened; try again (the same Idempotency-Key is safe)',
  },
  precheck: {
    failed: 'The cloud account did not answer (unavailable or throttled, after retries); precheck again later or with the instance facts typed in',
    late: 'The cloud account was not read in time; precheck again (the same request attaches to the look still under way)',
  },
} as const;

/** The hosting lookup key of a precheck: a hash of who asks and what (instance ids in order, CDN domains). */
export function precheckLookupKey(caller: string, instanceIds: string[], cdnDomains: string[]): string {
  return `precheck-${createHash('sha256').update(JSON.stringify([caller, instanceIds, cdnDomains])).digest('hex').slice(0, 40)}`;
}

/** Whose cases a caller lists: all (staff), or one applicant's own. */
export type CaseScope = { applicantId: string } | 'all';

function listFilter(query: CaseFilterQueryDto, scope: CaseScope): CaseListFilter {
  if (query.assignee && query.unassigned === true) {
    throw new ValidationFailedError([{ field: 'unassigned', message: 'unassigned=true cannot be combined with an assignee' }]);
  }
  return {
    applicantId: scope === 'all' ? undefined : scope.applicantId,
    stage: query.stage,
    province: query.province,
    assignee: query.assignee,
    unassigned: query.unassigned === true,
    overdue: query.overdue === true,
    dueBefore: query.dueBefore ? new Date(query.dueBefore).toISOString() : undefined,
    q: query.q?.trim() || undefined,
  };
}

export function caseNotFound(id: string): DomainError {
  return new DomainError('CASE_NOT_FOUND', `No case ${id}`, { id });
}
