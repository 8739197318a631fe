import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The applicant who owns a case (token claim `applicantId`): applicants see and act on their own cases only. */
export class CaseOwner1795859000000 implements MigrationInterface {
  name = 'CaseOwner1795859000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN applicant_id text`);
    await q.query(`CREATE INDEX cases_applicant_created_idx ON cases (applicant_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_applicant_created_idx`);
    await q.query(`ALTER TABLE cases DROP COLUMN applicant_id`);
  }
}
