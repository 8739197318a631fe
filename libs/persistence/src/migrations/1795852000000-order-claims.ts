import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One open filing order per entity, held as a claim: a row per entity key, inserted by the
 * submission's own step (the unique key settles concurrent submissions) and deleted by the
 * projection of the transition that closes the order.
 */
export class OrderClaims1795852000000 implements MigrationInterface {
  name = 'OrderClaims1795852000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_claims (
        entity_key text PRIMARY KEY,
        case_id uuid NOT NULL,
        reference text NOT NULL,
        claimed_version integer NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX order_claims_case_idx ON order_claims (case_id)`);
    // Orders open before this migration hold their claim (the oldest case of an entity wins).
    await q.query(`
      INSERT INTO order_claims (entity_key, case_id, reference, claimed_version)
      SELECT DISTINCT ON (entity_key) entity_key, id, reference, version - 1
        FROM cases
       WHERE stage IN ('INITIAL_REVIEW', 'AWAITING_SMS_VERIFICATION', 'MIIT_REVIEW', 'RETURNED')
       ORDER BY entity_key, created_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE order_claims`);
  }
}
