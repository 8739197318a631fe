import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795830000000 implements MigrationInterface {
  name = 'InitialSchema1795830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE SEQUENCE case_reference_seq`);
    await q.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY,
        reference text NOT NULL CONSTRAINT cases_reference_key UNIQUE,
        stage text NOT NULL,
        version integer NOT NULL,
        submission_province text NOT NULL,
        applicant_name text NOT NULL,
        entity_key text NOT NULL,
        assignee text,
        icp_number text,
        search_text text NOT NULL,
        next_deadline_at timestamptz,
        view jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX cases_stage_created_idx ON cases (stage, created_at, id)`);
    await q.query(`CREATE INDEX cases_province_created_idx ON cases (submission_province, created_at, id)`);
    await q.query(`CREATE INDEX cases_assignee_created_idx ON cases (assignee, created_at, id)`);
    await q.query(`CREATE INDEX cases_created_idx ON cases (created_at, id)`);
    await q.query(`CREATE INDEX cases_entity_stage_idx ON cases (entity_key, stage)`);
    await q.query(`CREATE INDEX cases_next_deadline_idx ON cases (next_deadline_at)`);
    await q.query(`CREATE INDEX cases_search_trgm_idx ON cases USING gin (search_text gin_trgm_ops)`);
    await q.query(`
      CREATE TABLE case_events (
        case_id uuid NOT NULL,
        seq integer NOT NULL,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        type text NOT NULL,
        from_stage text,
        to_stage text NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (case_id, seq)
      )`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status_code integer,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE case_events`);
    await q.query(`DROP TABLE cases`);
    await q.query(`DROP SEQUENCE case_reference_seq`);
  }
}
