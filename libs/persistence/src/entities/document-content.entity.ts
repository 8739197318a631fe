import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * The bytes of a document, for the PostgreSQL storage (the default DocumentStorage). Stored before
 * the case workflow hears of the upload, under the document id the upload will have; the row in
 * `documents` follows once the workflow applied it. A content no row refers to is an upload that
 * never reached the workflow: harmless, and purged after the Idempotency-Key TTL.
 */
@Entity({ name: 'document_contents' })
export class DocumentContentEntity {
  @PrimaryColumn('uuid', { name: 'document_id' })
  documentId: string;

  @Column('bytea')
  content: Buffer;

  @CreateDateColumn({ name: 'stored_at', type: 'timestamptz' })
  storedAt: Date;
}
