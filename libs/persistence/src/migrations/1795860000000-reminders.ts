import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Deadlines as columns of the read model, notifications, the reminder sweep's runs, webhooks and their deliveries. */
export class Reminders1795860000000 implements MigrationInterface {
  name = 'Reminders1795860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cases
        ADD COLUMN sms_verification_due timestamptz,
        ADD COLUMN review_due timestamptz,
        ADD COLUMN psb_filing_due date,
        ADD COLUMN instance_expires_on date,
        ADD COLUMN certificate_expires_on date`);
    // Backfill from the stored views (cases projected before this migration).
    await q.query(`
      UPDATE cases SET
        sms_verification_due = (view->'deadlines'->>'smsVerificationDue')::timestamptz,
        review_due = (view->'deadlines'->>'reviewDue')::timestamptz,
        psb_filing_due = CASE WHEN view->'psbFiling' IS NULL OR view->'psbFiling' = 'null'::jsonb
                              THEN (view->'deadlines'->>'psbFilingDue')::date END`);
    await q.query(`CREATE INDEX cases_instance_expiry_idx ON cases (instance_expires_on) WHERE instance_expires_on IS NOT NULL`);
    await q.query(`CREATE INDEX cases_certificate_expiry_idx ON cases (certificate_expires_on) WHERE certificate_expires_on IS NOT NULL`);

    await q.query(`CREATE SEQUENCE case_side_event_seq`);
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        recipient text NOT NULL,
        case_id uuid NOT NULL,
        case_reference text NOT NULL,
        rule text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('UPCOMING', 'OVERDUE')),
        deadline timestamptz NOT NULL,
        title text NOT NULL,
        message text NOT NULL,
        source text NOT NULL,
        created_at timestamptz NOT NULL,
        read_at timestamptz,
        CONSTRAINT notifications_once_key UNIQUE (recipient, case_id, rule, kind, deadline)
      )`);
    await q.query(`CREATE INDEX notifications_recipient_idx ON notifications (recipient, created_at, id)`);
    await q.query(`CREATE INDEX notifications_case_idx ON notifications (case_id, created_at, id)`);
    await q.query(`CREATE INDEX notifications_unread_idx ON notifications (recipient, created_at, id) WHERE read_at IS NULL`);

    await q.query(`
      CREATE TABLE reminder_runs (
        id text PRIMARY KEY,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        scheduled_for timestamptz,
        counts jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX reminder_runs_started_idx ON reminder_runs (started_at)`);

    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY,
        url text NOT NULL,
        events text[] NOT NULL,
        secret text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        deleted_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        webhook_id uuid NOT NULL REFERENCES webhooks (id),
        event_type text NOT NULL,
        dedupe_key text NOT NULL,
        body text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED', 'REFUSED')),
        created_at timestamptz NOT NULL,
        finished_at timestamptz,
        CONSTRAINT webhook_deliveries_once_key UNIQUE (webhook_id, dedupe_key)
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at, id)`);
    await q.query(`
      CREATE TABLE webhook_delivery_attempts (
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id),
        attempt integer NOT NULL,
        at timestamptz NOT NULL,
        outcome text NOT NULL,
        status_code integer,
        error text,
        duration_ms integer NOT NULL,
        PRIMARY KEY (delivery_id, attempt)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_delivery_attempts`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhooks`);
    await q.query(`DROP TABLE reminder_runs`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP SEQUENCE case_side_event_seq`);
    await q.query(`
      ALTER TABLE cases DROP COLUMN sms_verification_due, DROP COLUMN review_due, DROP COLUMN psb_filing_due,
        DROP COLUMN instance_expires_on, DROP COLUMN certificate_expires_on`);
  }
}
