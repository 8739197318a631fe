import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Documents1795840000000 implements MigrationInterface {
  name = 'Documents1795840000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE documents (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL,
        type text NOT NULL,
        website_index integer,
        version integer NOT NULL,
        status text NOT NULL,
        superseded_by uuid,
        sha256 text NOT NULL,
        size integer NOT NULL,
        content_type text NOT NULL,
        filename text NOT NULL,
        uploaded_by text NOT NULL,
        uploaded_at timestamptz NOT NULL,
        reviewed_by text,
        reviewed_at timestamptz,
        review_reason text
      )`);
    await q.query(`CREATE INDEX documents_case_slot_idx ON documents (case_id, type, website_index, version)`);
    await q.query(
      `CREATE UNIQUE INDEX documents_current_slot_key ON documents (case_id, type, coalesce(website_index, -1)) WHERE superseded_by IS NULL`,
    );
    await q.query(`
      CREATE TABLE document_contents (
        document_id uuid PRIMARY KEY CONSTRAINT document_contents_document_fk REFERENCES documents (id) ON DELETE CASCADE,
        content bytea NOT NULL
      )`);
    // The contents are already compressed images and PDFs: keep them out of line, uncompressed.
    await q.query(`ALTER TABLE document_contents ALTER COLUMN content SET STORAGE EXTERNAL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE document_contents`);
    await q.query(`DROP TABLE documents`);
  }
}
