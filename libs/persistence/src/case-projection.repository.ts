import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OPEN_ORDER_STAGES, runningDeadline } from '../../domain/src';
import type { EntityManager } from 'typeorm';
import type { CaseView, ClaimOrderInput, DocumentProjection, ProjectCaseInput } from '../../contracts/src';

/** Stages in which a case holds its entity's order claim (DOMAIN.md: returned for correction is still open). */
export const CLAIM_HOLDING_STAGES: readonly string[] = [...new Set<string>([...OPEN_ORDER_STAGES, 'RETURNED'])];

/** Writes the read model. Idempotent: replays of the same (case, seq) change nothing. */
@Injectable()
export class CaseProjectionRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * One transition's projection: its event, the case row and, when the order closed, the release
   * of the entity's claim. Without a document it is one statement (data-modifying CTEs, atomic
   * like a transaction) and so one round trip, where a transaction took five (BEGIN, event, row,
   * claim, COMMIT): this activity runs on every change, and its round trips were most of its time.
   * A document's row depends on whether the event is new, so that case keeps the transaction.
   */
  async project({ view, entityKey, event, document }: ProjectCaseInput): Promise<void> {
    const release = !CLAIM_HOLDING_STAGES.includes(view.stage) || view.allowedActions.length === 0;
    const eventParams = [view.id, event.seq, event.at, event.actor, event.type, event.fromStage, event.toStage, event.data];
    if (!document) {
      const row = upsertRowSql(view, entityKey, false, eventParams.length);
      await this.db.query(
        `WITH event AS (${INSERT_EVENT_SQL}),
              row AS (${row.sql} RETURNING cases.id),
              released AS (DELETE FROM order_claims WHERE $${row.next}::boolean AND case_id = $1 AND claimed_version < $${row.next + 1} RETURNING case_id)
         SELECT 1`,
        [...eventParams, ...row.params, release, view.version],
      );
      return;
    }
    await this.db.transaction(async (tx) => {
      const inserted: unknown[] = await tx.query(INSERT_EVENT_SQL, eventParams);
      // The document row changes with its event, once: a replayed projection finds the event there.
      if (inserted.length > 0) await projectDocument(tx, view.id, document);
      await upsertRow(tx, view, entityKey, false);
      if (release) {
        // The order closed (approved, rejected, withdrawn, not required, or the workflow closed):
        // release the claim, unless it was taken after this version (a late retry of an old write).
        await tx.query(`DELETE FROM order_claims WHERE case_id = $1 AND claimed_version < $2`, [view.id, view.version]);
      }
    });
  }

  /** Writes the workflow's view over whatever the row holds (the reconciliation's repair). */
  async repairRow(view: CaseView, entityKey: string): Promise<void> {
    await this.db.transaction((tx) => upsertRow(tx, view, entityKey, true));
  }

  /**
   * Takes the entity's claim for this case, or answers the reference of the case holding it.
   * Idempotent: a retry by the same case finds its own claim.
   */
  async claimOrder({ caseId, reference, entityKey, version }: ClaimOrderInput): Promise<{ heldBy: string | null }> {
    for (;;) {
      const taken: { case_id: string }[] = await this.db.query(
        `INSERT INTO order_claims (entity_key, case_id, reference, claimed_version) VALUES ($1, $2, $3, $4)
         ON CONFLICT (entity_key) DO UPDATE SET claimed_version = EXCLUDED.claimed_version
           WHERE order_claims.case_id = EXCLUDED.case_id
         RETURNING case_id`,
        [entityKey, caseId, reference, version],
      );
      if (taken.length) return { heldBy: null };
      const holder: { reference: string }[] = await this.db.query(`SELECT reference FROM order_claims WHERE entity_key = $1`, [entityKey]);
      if (holder.length) return { heldBy: holder[0].reference };
      // Released between the two statements: try again.
    }
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

/** The event of a projection ($1–$8); a replay of the same (case, seq) inserts nothing and returns no row. */
const INSERT_EVENT_SQL = `INSERT INTO case_events (case_id, seq, at, actor, type, from_stage, to_stage, data)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
   ON CONFLICT (case_id, seq) DO NOTHING RETURNING seq`;

/**
 * Inserts or updates a case row. Unforced, an older version never overwrites a newer one; forced
 * (the reconciliation's repair), the workflow's view is written whatever the row holds.
 */
async function upsertRow(tx: { query(sql: string, params: unknown[]): Promise<unknown> }, view: CaseView, entityKey: string, force: boolean): Promise<void> {
  const { sql, params } = upsertRowSql(view, entityKey, force, 0);
  await tx.query(sql, params);
}

/** The row's upsert with its parameters numbered from `offset + 1`; `next` is the first number left. */
function upsertRowSql(view: CaseView, entityKey: string, force: boolean, offset: number): { sql: string; params: unknown[]; next: number } {
  const params = [
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
    view.deadlines.smsVerificationDue,
    view.deadlines.reviewDue,
    view.psbFiling ? null : view.deadlines.psbFilingDue,
    view.deadlines.instanceExpiresOn ?? null,
    view.deadlines.certificateExpiresOn ?? null,
    view.applicantId ?? null,
  ];
  const values = params.map((_, i) => `$${offset + i + 1}`).join(', ');
  const sql = `INSERT INTO cases (id, reference, stage, version, submission_province, applicant_name, entity_key, assignee,
                        icp_number, search_text, next_deadline_at, view, created_at, updated_at,
                        sms_verification_due, review_due, psb_filing_due, instance_expires_on, certificate_expires_on, applicant_id)
     VALUES (${values})
     ON CONFLICT (id) DO UPDATE SET
       stage = EXCLUDED.stage, version = EXCLUDED.version, submission_province = EXCLUDED.submission_province,
       applicant_name = EXCLUDED.applicant_name, entity_key = EXCLUDED.entity_key, assignee = EXCLUDED.assignee,
       icp_number = EXCLUDED.icp_number, search_text = EXCLUDED.search_text,
       next_deadline_at = EXCLUDED.next_deadline_at, view = EXCLUDED.view, updated_at = EXCLUDED.updated_at,
       sms_verification_due = EXCLUDED.sms_verification_due, review_due = EXCLUDED.review_due,
       psb_filing_due = EXCLUDED.psb_filing_due, instance_expires_on = EXCLUDED.instance_expires_on,
       certificate_expires_on = EXCLUDED.certificate_expires_on
     ${force ? '' : 'WHERE cases.version < EXCLUDED.version'}`;
  return { sql, params, next: offset + params.length + 1 };
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
  return runningDeadline(view.deadlines, Boolean(view.psbFiling))?.at ?? null;
}
