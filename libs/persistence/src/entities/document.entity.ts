import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One uploaded version of a case document. A new upload for the same slot (type, website)
 * supersedes the current one, which stays readable in the history. The bytes live behind
 * DocumentStorage (document_contents by default), written in the same transaction.
 */
@Entity({ name: 'documents' })
@Index('documents_case_slot_idx', ['caseId', 'type', 'websiteIndex', 'version'])
/** At most one current (not superseded) document per slot: a partial unique index made by the migration. */
@Index('documents_current_slot_key', { synchronize: false })
export class DocumentEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'case_id' })
  caseId: string;

  @Column('text')
  type: string;

  @Column('integer', { name: 'website_index', nullable: true })
  websiteIndex: number | null;

  /** 1 for the first upload of a slot, then 2, 3, … */
  @Column('integer')
  version: number;

  @Column('text')
  status: 'PENDING' | 'ACCEPTED' | 'REJECTED';

  @Column('uuid', { name: 'superseded_by', nullable: true })
  supersededBy: string | null;

  @Column('text')
  sha256: string;

  @Column('integer')
  size: number;

  /** Sniffed from the bytes, never taken from the client. */
  @Column('text', { name: 'content_type' })
  contentType: string;

  @Column('text')
  filename: string;

  @Column('text', { name: 'uploaded_by' })
  uploadedBy: string;

  @Column('timestamptz', { name: 'uploaded_at' })
  uploadedAt: Date;

  @Column('text', { name: 'reviewed_by', nullable: true })
  reviewedBy: string | null;

  @Column('timestamptz', { name: 'reviewed_at', nullable: true })
  reviewedAt: Date | null;

  @Column('text', { name: 'review_reason', nullable: true })
  reviewReason: string | null;
}
