import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { DocumentEntity } from './document.entity';

/** The bytes of a document, for the PostgreSQL storage (the default DocumentStorage). */
@Entity({ name: 'document_contents' })
export class DocumentContentEntity {
  @PrimaryColumn('uuid', { name: 'document_id' })
  documentId: string;

  @OneToOne(() => DocumentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'document_id', foreignKeyConstraintName: 'document_contents_document_fk' })
  document?: DocumentEntity;

  @Column('bytea')
  content: Buffer;
}
