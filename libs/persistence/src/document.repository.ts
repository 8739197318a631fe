import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { DocumentEntity } from './entities/document.entity';
import { DocumentStorage } from './storage/document-storage';

/**
 * Document metadata and versions. The rows are written by the case workflow's projection
 * (CaseProjectionRepository), so they show exactly what the workflow applied; the API stores the
 * bytes first, under the id the upload will have, and reads.
 */
@Injectable()
export class DocumentRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: DocumentStorage,
  ) {}

  /** Stores an upload's bytes before the workflow hears of it; storing them again changes nothing. */
  async storeContent(documentId: string, content: Buffer): Promise<void> {
    await this.db.transaction((tx) => this.storage.put(tx, documentId, content));
  }

  /** The current (not superseded) document of a slot. */
  current(caseId: string, type: string, websiteIndex: number | null): Promise<DocumentEntity | null> {
    return this.db.getRepository(DocumentEntity).findOne({
      where: { caseId, type, websiteIndex: websiteIndex ?? IsNull(), supersededBy: IsNull() },
    });
  }

  /**
   * Forgets contents no document refers to that are older than `olderThanMs`: uploads that never
   * reached the workflow (refused, or their client gave up). Answers how many.
   */
  async purgeUnreferencedContents(olderThanMs: number): Promise<number> {
    const [, count]: [unknown, number] = await this.db.query(
      `DELETE FROM document_contents c
        WHERE c.stored_at < now() - $1 * interval '1 millisecond'
          AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = c.document_id)`,
      [olderThanMs],
    );
    return count;
  }

  find(caseId: string, documentId: string): Promise<DocumentEntity | null> {
    return this.db.getRepository(DocumentEntity).findOne({ where: { id: documentId, caseId } });
  }

  /** Every version of every slot: current ones first within a slot. */
  list(caseId: string): Promise<DocumentEntity[]> {
    return this.db.getRepository(DocumentEntity).find({
      where: { caseId },
      order: { type: 'ASC', websiteIndex: 'ASC', version: 'DESC' },
    });
  }

  content(document: DocumentEntity) {
    return this.storage.read(document.id, document.size);
  }
}
