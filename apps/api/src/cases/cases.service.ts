import { Injectable } from '@nestjs/common';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, type UpdateDefinition } from '@temporalio/common';
import { AppConfig } from '../../../../libs/config/src';
import {
  caseProvinceSearchAttribute,
  caseReferenceSearchAttribute,
  caseWorkflowId,
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
  evaluateRules,
  isFilingRequired,
  TransitionNotAllowedError,
  ValidationFailedError,
  type CaseFacts,
  type ChecklistItem,
  type Finding,
  type Stage,
} from '../../../../libs/domain/src';
import { CaseReadRepository, type CaseEventRow, type CaseListFilter, type CaseSummaryRow } from '../../../../libs/persistence/src';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { isWorkflowNotFound } from '../common/temporal-errors';
import type { Operation } from '../common/operation';
import { TemporalClientService } from '../temporal/temporal-client.service';
import type { caseWorkflow } from '../../../../workflows/src';
import { caseFacts } from './case-facts.mapper';
import type { CaseBodyDto, CaseFilterQueryDto, CreateCaseDto, ListCasesQueryDto } from './dto';

export interface PrecheckResult {
  filingRequired: boolean;
  findings: Finding[];
  checklist: ChecklistItem[];
}

const DEFAULT_PAGE = 50;

/** Case use cases: reads come from the projection, every change goes through the case's workflow. */
@Injectable()
export class CasesService {
  constructor(
    private readonly config: AppConfig,
    private readonly temporal: TemporalClientService,
    private readonly reads: CaseReadRepository,
  ) {}

  precheck(body: CaseBodyDto): PrecheckResult {
    const facts = this.knownProvinces(caseFacts(body));
    const now = new Date().toISOString();
    return {
      filingRequired: isFilingRequired(facts, this.config.rules),
      findings: evaluateRules(facts, {
        now,
        config: this.config.rules,
        // Nothing uploaded yet: with enforcement off the document rules answer as WARNINGs, never silence.
        documents: [],
        enforceDocuments: this.config.enforceDocuments,
        icpNumber: null,
      }),
      checklist: checklist(facts, this.config.rules, []),
    };
  }

  /**
   * Opens a case: starts its workflow and answers once the first projection is written. The case
   * id is the operation's id and the reference is remembered with the Idempotency-Key, so a retry
   * of a creation answered 503 re-sends the very same start: USE_EXISTING attaches it to the
   * workflow the first attempt started (if it did), and there is one case either way. An
   * applicant's case is owned by its `applicantId`.
   */
  async create(body: CreateCaseDto, actor: string, operation: Operation, applicantId: string | null = null): Promise<CaseView> {
    const facts = this.knownProvinces(caseFacts(body));
    const caseId = operation.id;
    const reference = await operation.recall('reference', () => this.reads.nextReference(new Date().getUTCFullYear()));
    const input: CaseWorkflowInput = {
      newCase: { caseId, reference, facts, assignee: body.assignee ?? null, enforceDocuments: this.config.enforceDocuments },
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

  async list(query: ListCasesQueryDto, scope: CaseScope = 'all'): Promise<{ items: CaseSummary[]; nextCursor: string | null }> {
    const { items, last } = await this.reads.list({
      ...listFilter(query, scope),
      limit: query.limit ?? DEFAULT_PAGE,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    const now = new Date().toISOString();
    return {
      items: items.map((row) => this.summary(row, now)),
      nextCursor: encodeCursor(last),
    };
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
