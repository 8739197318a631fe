import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OPEN_ORDER_STAGES } from '../../domain/src';
import type { EntityManager } from 'typeorm';
import type { CaseView, DocumentProjection, ProjectCaseInput } from '../../contracts/src';

/** Writes the read model. Idempotent: replays of the same (case, seq) change nothing. */
@Injectable()
export class CaseProjectionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async project({ view, entityKey, event, document }: ProjectCaseInput): Promise<void> {
    await this.db.transaction(async (tx) => {
      const inserted: unknown[] = await tx.query(
        `INSERT INTO case_events (case_id, seq, at, actor, type, from_stage, to_stage, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (case_id, seq) DO NOTHING RETURNING seq`,
        [view.id, event.seq, event.at, event.actor, event.type, event.fromStage, event.toStage, event.data],
      );
      // The document row changes with its event, once: a replayed projection finds the event there.
      if (document && inserted.length > 0) await projectDocument(tx, view.id, document);
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

/** Writes what the workflow applied to a document: a new current version of its slot, or a review. */
async function projectDocument(tx: EntityManager, caseId: string, d: DocumentProjection): Promise<void> {
  if (d.change === 'reviewed') {
    await tx.query(
      `UPDATE documents SET status = $3, review_reason = $4, reviewed_by = $5, reviewed_at = $6 WHERE id = $1 AND case_id = $2`,
      [d.id, caseId, d.status, d.reason, d.reviewedBy, d.reviewedAt],
    );
    return;
  }
  const slot = [caseId, d.type, d.websiteIndex];
  await tx.query(
    `UPDATE documents SET superseded_by = $4
      WHERE case_id = $1 AND type = $2 AND website_index IS NOT DISTINCT FROM $3 AND superseded_by IS NULL AND id <> $4`,
    [...slot, d.id],
  );
  await tx.query(
    `INSERT INTO documents (id, case_id, type, website_index, version, status, superseded_by, sha256, size, content_type,
                            filename, uploaded_by, uploaded_at)
     SELECT $4, $1, $2, $3, coalesce(max(version), 0) + 1, 'PENDING', NULL, $5, $6, $7, $8, $9, $10
       FROM documents WHERE case_id = $1 AND type = $2 AND website_index IS NOT DISTINCT FROM $3
     ON CONFLICT (id) DO NOTHING`,
    [...slot, d.id, d.sha256, d.size, d.contentType, d.filename, d.uploadedBy, d.uploadedAt],
  );
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
