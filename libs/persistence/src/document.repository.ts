import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { DocumentEntity } from './entities/document.entity';
import { DocumentStorage } from './storage/document-storage';

export interface NewDocument {
  caseId: string;
  type: string;
  websiteIndex: number | null;
  sha256: string;
  size: number;
  contentType: string;
  filename: string;
  uploadedBy: string;
  content: Buffer;
}

export type UploadOutcome = { created: true; document: DocumentEntity } | { created: false; document: DocumentEntity };

/** Document metadata and versions; writes go through one transaction with the bytes. */
@Injectable()
export class DocumentRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: DocumentStorage,
  ) {}

  /**
   * Stores a new version of a slot, superseding the current one, unless the current one has the
   * same bytes (then answers it). `beforeCommit` runs inside the transaction (the workflow hears of
   * the upload there); if it throws, nothing is stored.
   */
  async upload(input: NewDocument, beforeCommit: (document: DocumentEntity) => Promise<void>): Promise<UploadOutcome> {
    return this.db.transaction(async (tx) => {
      // One writer per slot at a time: versions stay gap-free and "current" stays unique.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${input.caseId}/${input.type}/${input.websiteIndex ?? '-'}`]);
      const repo = tx.getRepository(DocumentEntity);
      const slot = await repo.find({
        where: { caseId: input.caseId, type: input.type, websiteIndex: input.websiteIndex ?? IsNull() },
        order: { version: 'DESC' },
      });
      const current = slot.find((d) => d.supersededBy === null);
      if (current && current.sha256 === input.sha256) return { created: false, document: current };

      const document = repo.create({
        id: randomUUID(),
        caseId: input.caseId,
        type: input.type,
        websiteIndex: input.websiteIndex,
        version: (slot[0]?.version ?? 0) + 1,
        status: 'PENDING',
        supersededBy: null,
        sha256: input.sha256,
        size: input.size,
        contentType: input.contentType,
        filename: input.filename,
        uploadedBy: input.uploadedBy,
        uploadedAt: new Date(),
        reviewedBy: null,
        reviewedAt: null,
        reviewReason: null,
      });
      if (current) await repo.update({ id: current.id }, { supersededBy: document.id });
      await repo.insert(document);
      await this.storage.put(tx, document.id, input.content);
      await beforeCommit(document);
      return { created: true, document };
    });
  }

  /** Records a review; `beforeCommit` runs inside the transaction (the workflow hears of it there). */
  async review(
    caseId: string,
    documentId: string,
    review: { status: 'ACCEPTED' | 'REJECTED'; reason: string | null; reviewedBy: string },
    check: (document: DocumentEntity) => void,
    beforeCommit: (document: DocumentEntity) => Promise<void>,
  ): Promise<DocumentEntity | null> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(DocumentEntity);
      const document = await repo.findOne({ where: { id: documentId, caseId }, lock: { mode: 'pessimistic_write' } });
      if (!document) return null;
      check(document);
      Object.assign(document, { status: review.status, reviewReason: review.reason, reviewedBy: review.reviewedBy, reviewedAt: new Date() });
      await repo.save(document);
      await beforeCommit(document);
      return document;
    });
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
