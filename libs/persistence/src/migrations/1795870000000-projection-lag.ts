import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Projection lag (issue 11): each event row records when the projection wrote it
 * (`clock_timestamp()`, the moment of the insert, not the transaction's start), so the lag
 * between the workflow's decision (`at`) and the read model is measurable. Rows written before
 * this migration keep NULL: their write time is unknown.
 */
export class ProjectionLag1795870000000 implements MigrationInterface {
  name = 'ProjectionLag1795870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_events ADD COLUMN projected_at timestamptz`);
    await q.query(`ALTER TABLE case_events ALTER COLUMN projected_at SET DEFAULT clock_timestamp()`);
    await q.query(`CREATE INDEX case_events_projected_at_idx ON case_events (projected_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX case_events_projected_at_idx`);
    await q.query(`ALTER TABLE case_events DROP COLUMN projected_at`);
  }
}
