import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OPEN_ORDER_STAGES } from '../../domain/src';
import type { CaseView, ProjectCaseInput } from '../../contracts/src';

/** Writes the read model. Idempotent: replays of the same (case, seq) change nothing. */
@Injectable()
export class CaseProjectionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async project({ view, entityKey, event }: ProjectCaseInput): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO case_events (case_id, seq, at, actor, type, from_stage, to_stage, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (case_id, seq) DO NOTHING`,
        [view.id, event.seq, event.at, event.actor, event.type, event.fromStage, event.toStage, event.data],
      );
      await tx.query(
        `INSERT INTO cases (id, reference, stage, version, submission_province, applicant_name, entity_key, assignee,
                            icp_number, search_text, next_deadline_at, view, created_at, updated_at, applicant_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (id) DO UPDATE SET
           stage = EXCLUDED.stage, version = EXCLUDED.version, submission_province = EXCLUDED.submission_province,
           applicant_name = EXCLUDED.applicant_name, entity_key = EXCLUDED.entity_key, assignee = EXCLUDED.assignee,
           icp_number = EXCLUDED.icp_number, search_text = EXCLUDED.search_text,
           next_deadline_at = EXCLUDED.next_deadline_at, view = EXCLUDED.view, updated_at = EXCLUDED.updated_at
         WHERE cases.version < EXCLUDED.version`,
        [
          view.id,
          view.reference,
          view.stage,
          view.version,
          view.submissionProvince,
          view.applicant.name,
          entityKey,
          view.assignee,
          view.icpNumber,
          searchText(view),
          nextDeadline(view),
          view,
          view.createdAt,
          view.updatedAt,
          view.applicantId ?? null,
        ],
      );
    });
  }

  /** References of the entity's other cases with an open filing order. */
  async findOpenOrders(caseId: string, entityKey: string): Promise<string[]> {
    const rows: { reference: string }[] = await this.db.query(
      `SELECT reference FROM cases WHERE entity_key = $1 AND stage = ANY($2) AND id <> $3 ORDER BY created_at`,
      [entityKey, OPEN_ORDER_STAGES, caseId],
    );
    return rows.map((r) => r.reference);
  }
}

export function searchText(view: CaseView): string {
  return [view.reference, view.applicant.name, view.icpNumber ?? '', ...view.websites.flatMap((w) => [w.name, ...w.domains])]
    .join(' ')
    .toLowerCase();
}

/** The earliest deadline still running (a PSB deadline once the filing is recorded is not). */
export function nextDeadline(view: CaseView): string | null {
  const { smsVerificationDue, reviewDue, psbFilingDue } = view.deadlines;
  const psb = psbFilingDue && !view.psbFiling ? `${psbFilingDue}T23:59:59+08:00` : null;
  const times = [smsVerificationDue, reviewDue, psb].filter((t): t is string => Boolean(t)).map((t) => Date.parse(t));
  return times.length ? new Date(Math.min(...times)).toISOString() : null;
}
