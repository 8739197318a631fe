import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exactly-once answers (issue 8): an Idempotency-Key carries a stable operation id (the case id
 * of a creation, the Temporal update id of a transition, the document id of an upload), values
 * a retry must re-send unchanged (a creation's reference), and a lease after which a retry may
 * take over a key whose holder died. Document contents are stored before the workflow hears of
 * the upload, so they no longer hang off a documents row: an unreferenced content is harmless
 * and purged once older than the key TTL.
 */
export class ExactlyOnce1795851000000 implements MigrationInterface {
  name = 'ExactlyOnce1795851000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN operation_id uuid NOT NULL DEFAULT gen_random_uuid()`);
    await q.query(`ALTER TABLE idempotency_keys ALTER COLUMN operation_id DROP DEFAULT`);
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN remembered jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await q.query(`ALTER TABLE idempotency_keys ADD COLUMN leased_until timestamptz NOT NULL DEFAULT now()`);
    await q.query(`CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at)`);
    await q.query(`ALTER TABLE document_contents DROP CONSTRAINT document_contents_document_fk`);
    await q.query(`ALTER TABLE document_contents ADD COLUMN stored_at timestamptz NOT NULL DEFAULT now()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE document_contents DROP COLUMN stored_at`);
    await q.query(`DELETE FROM document_contents c WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = c.document_id)`);
    await q.query(
      `ALTER TABLE document_contents ADD CONSTRAINT document_contents_document_fk FOREIGN KEY (document_id) REFERENCES documents (id) ON DELETE CASCADE`,
    );
    await q.query(`DROP INDEX idempotency_keys_created_at_idx`);
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN leased_until`);
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN remembered`);
    await q.query(`ALTER TABLE idempotency_keys DROP COLUMN operation_id`);
  }
}
