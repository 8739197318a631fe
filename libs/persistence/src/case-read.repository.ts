import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CaseEventRecord, CaseView } from '../../contracts/src';

export interface CaseListFilter {
  stage?: string;
  province?: string;
  assignee?: string;
  overdue?: boolean;
  /** Cases with a running deadline (SMS, review, PSB filing) at or before this instant. */
  dueBefore?: string;
  q?: string;
  limit: number;
  /** Keyset position: the last row of the previous page, newest first. */
  after?: { createdAt: string; id: string };
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

  /** Newest first, keyset-paginated on (created_at, id) so deep pages cost what the first does. */
  async list(filter: CaseListFilter): Promise<{ items: CaseView[]; last: { createdAt: string; id: string } | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.stage) where.push(`stage = ${param(filter.stage)}`);
    if (filter.province) where.push(`submission_province = ${param(filter.province)}`);
    if (filter.assignee) where.push(`assignee = ${param(filter.assignee)}`);
    if (filter.overdue) where.push(`next_deadline_at < now()`);
    if (filter.dueBefore) where.push(`next_deadline_at <= ${param(filter.dueBefore)}::timestamptz`);
    if (filter.q) where.push(`search_text LIKE ${param(`%${escapeLike(filter.q.toLowerCase())}%`)}`);
    if (filter.after) {
      where.push(`(created_at, id) < (${param(filter.after.createdAt)}::timestamptz, ${param(filter.after.id)}::uuid)`);
    }
    const rows: { view: CaseView; created_at: Date; id: string }[] = await this.db.query(
      `SELECT view, created_at, id FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT ${param(filter.limit + 1)}`,
      params,
    );
    const page = rows.slice(0, filter.limit);
    const lastRow = rows.length > filter.limit ? page[page.length - 1] : null;
    return {
      items: page.map((r) => r.view),
      last: lastRow ? { createdAt: lastRow.created_at.toISOString(), id: lastRow.id } : null,
    };
  }

  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
