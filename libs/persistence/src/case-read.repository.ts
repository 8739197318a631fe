import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CaseEventRecord, CaseView } from '../../contracts/src';
import type { FilingType, Stage } from '../../domain/src';

export interface CaseListFilter {
  /** Only the cases this applicant owns (an applicant's own list). */
  applicantId?: string;
  stage?: string;
  province?: string;
  assignee?: string;
  /** Only cases nobody is assigned to. */
  unassigned?: boolean;
  overdue?: boolean;
  /** Cases with a running deadline (SMS, review, PSB filing) at or before this instant. */
  dueBefore?: string;
  q?: string;
}

/** Where a page ended: the next page starts after it. */
export interface PageEnd {
  createdAt: string;
  id: string;
}

export interface CaseListPage extends CaseListFilter {
  limit: number;
  /** Keyset position: the last row of the previous page, newest first. */
  after?: PageEnd;
}

/** What a list row is read as: the projection's columns and a few small fields of the view. */
export interface CaseSummaryRow {
  id: string;
  reference: string;
  stage: Stage;
  version: number;
  filingType: FilingType;
  submissionProvince: string;
  applicantName: string;
  countryOfRegistration: string;
  applicantId: string | null;
  domains: string[];
  assignee: string | null;
  icpNumber: string | null;
  smsVerificationDue: string | null;
  reviewDue: string | null;
  /** Null once the PSB filing is recorded (the projection clears it). */
  psbFilingDue: string | null;
  blockingFindings: number;
  createdAt: string;
  updatedAt: string;
}

/** An audit event as the API shows it: what the projection activity wrote. */
export type CaseEventRow = CaseEventRecord;

/** Reads of the projection for the API: one case, lists, the audit trail. */
@Injectable()
export class CaseReadRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async findView(id: string): Promise<CaseView | null> {
    const rows: { view: CaseView }[] = await this.db.query('SELECT view FROM cases WHERE id = $1', [id]);
    return rows[0]?.view ?? null;
  }

  /** The applicant who owns the case (null: opened by staff for nobody), undefined when there is no such case. */
  async findOwner(id: string): Promise<string | null | undefined> {
    const rows: { applicant_id: string | null }[] = await this.db.query('SELECT applicant_id FROM cases WHERE id = $1', [id]);
    return rows.length ? rows[0].applicant_id : undefined;
  }

  async nextReference(year: number): Promise<string> {
    const [{ n }]: { n: string }[] = await this.db.query(`SELECT nextval('case_reference_seq') AS n`);
    return `ICP-${year}-${n.padStart(6, '0')}`;
  }

  async events(caseId: string): Promise<CaseEventRow[]> {
    const rows: (Omit<CaseEventRow, 'at'> & { at: Date })[] = await this.db.query(
      `SELECT seq, at, actor, type, from_stage AS "fromStage", to_stage AS "toStage", data
         FROM case_events WHERE case_id = $1 ORDER BY at, seq > 0 DESC, abs(seq)`,
      [caseId],
    );
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }

  /** Whole case views, newest first (see {@link page}). */
  async list(page: CaseListPage): Promise<{ items: CaseView[]; last: PageEnd | null }> {
    const { rows, last } = await this.page<{ view: CaseView; id: string; createdAt: Date }>(CASE_VIEW_COLUMNS, page);
    return { items: rows.map((r) => r.view), last };
  }

  /**
   * The same page as summary rows: columns and a few fields of the view read in SQL, never the
   * whole view (a page of 200 views carries 300 KB of JSON through the driver and the API).
   */
  async summaries(page: CaseListPage): Promise<{ items: CaseSummaryRow[]; last: PageEnd | null }> {
    type Row = Omit<CaseSummaryRow, 'createdAt' | 'updatedAt' | 'smsVerificationDue' | 'reviewDue'> & {
      createdAt: Date;
      updatedAt: Date;
      smsVerificationDue: Date | null;
      reviewDue: Date | null;
    };
    const { rows, last } = await this.page<Row>(CASE_SUMMARY_COLUMNS, page);
    const items = rows.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      smsVerificationDue: r.smsVerificationDue?.toISOString() ?? null,
      reviewDue: r.reviewDue?.toISOString() ?? null,
    }));
    return { items, last };
  }

  /**
   * One page of `columns` (which name `id` and `"createdAt"`), newest first, keyset-paginated on
   * (created_at, id) so deep pages cost what the first does; `last` is where the next page starts.
   */
  private async page<R extends { id: string; createdAt: Date }>(columns: string, page: CaseListPage): Promise<{ rows: R[]; last: PageEnd | null }> {
    const { where, params, param } = conditions(page);
    if (page.after) where.push(`(created_at, id) < (${param(page.after.createdAt)}::timestamptz, ${param(page.after.id)}::uuid)`);
    const found: R[] = await this.db.query(
      `SELECT ${columns} FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT ${param(page.limit + 1)}`,
      params,
    );
    const rows = found.slice(0, page.limit);
    const end = found.length > page.limit ? rows[rows.length - 1] : null;
    return { rows, last: end ? { createdAt: end.createdAt.toISOString(), id: end.id } : null };
  }

  /** How many cases match the filter, in all and by stage (the worklist's counts). */
  async counts(filter: CaseListFilter): Promise<{ total: number; byStage: Partial<Record<Stage, number>> }> {
    const { where, params } = conditions(filter);
    const rows: { stage: Stage; n: number }[] = await this.db.query(
      `SELECT stage, count(*)::int AS n FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY stage`,
      params,
    );
    const byStage: Partial<Record<Stage, number>> = {};
    for (const { stage, n } of rows) byStage[stage] = n;
    return { total: rows.reduce((sum, r) => sum + r.n, 0), byStage };
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}

/** What GET /v1/cases reads of each case: the whole view (the bench reads the same, bare). */
export const CASE_VIEW_COLUMNS = 'view, id, created_at AS "createdAt"';

/** What a summary reads of each case: columns, and a few fields of the view picked in SQL. */
export const CASE_SUMMARY_COLUMNS = `id, reference, stage, version, submission_province AS "submissionProvince", applicant_name AS "applicantName",
       applicant_id AS "applicantId", assignee, icp_number AS "icpNumber", created_at AS "createdAt", updated_at AS "updatedAt",
       sms_verification_due AS "smsVerificationDue", review_due AS "reviewDue", psb_filing_due::text AS "psbFilingDue",
       view->>'filingType' AS "filingType",
       coalesce(view->'applicant'->>'countryOfRegistration', '') AS "countryOfRegistration",
       jsonb_path_query_array(view, '$.websites[*].domains[*]') AS domains,
       jsonb_array_length(jsonb_path_query_array(view, '$.findings[*] ? (@.severity == "BLOCKING")'))::int AS "blockingFindings"`;

/** The WHERE conditions of a filter, as parameterised SQL. */
function conditions(filter: CaseListFilter): { where: string[]; params: unknown[]; param: (value: unknown) => string } {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filter.applicantId !== undefined) where.push(`applicant_id = ${param(filter.applicantId)}`);
  if (filter.stage) where.push(`stage = ${param(filter.stage)}`);
  if (filter.province) where.push(`submission_province = ${param(filter.province)}`);
  if (filter.assignee) where.push(`assignee = ${param(filter.assignee)}`);
  if (filter.unassigned) where.push(`assignee IS NULL`);
  if (filter.overdue) where.push(`next_deadline_at < now()`);
  if (filter.dueBefore) where.push(`next_deadline_at <= ${param(filter.dueBefore)}::timestamptz`);
  if (filter.q) where.push(`search_text LIKE ${param(`%${escapeLike(filter.q.toLowerCase())}%`)}`);
  return { where, params, param };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
