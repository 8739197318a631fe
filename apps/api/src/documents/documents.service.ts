import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppConfig } from '../../../../libs/config/src';
import { recordDocumentReviewUpdate, recordDocumentUploadUpdate, type CaseView } from '../../../../libs/contracts/src';
import {
  checklist,
  DomainError,
  slotProblem,
  sniffContentType,
  TransitionNotAllowedError,
  allowedActions,
  ACTION_STAGES,
  ValidationFailedError,
  type ChecklistItem,
  type DocumentType,
} from '../../../../libs/domain/src';
import { DocumentRepository, type DocumentEntity } from '../../../../libs/persistence/src';
import { CasesService } from '../cases/cases.service';
import type { DocumentView } from './documents.dto';
import type { Operation } from '../common/operation';

export interface UploadedFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

export function toDocumentView(d: DocumentEntity): DocumentView {
  return {
    id: d.id,
    type: d.type,
    websiteIndex: d.websiteIndex,
    version: d.version,
    status: d.status,
    current: d.supersededBy === null,
    supersededBy: d.supersededBy,
    sha256: d.sha256,
    size: d.size,
    contentType: d.contentType,
    filename: d.filename,
    uploadedBy: d.uploadedBy,
    uploadedAt: d.uploadedAt.toISOString(),
    review: d.reviewedAt ? { by: d.reviewedBy ?? '', at: d.reviewedAt.toISOString(), reason: d.reviewReason } : null,
  };
}

/** A filename safe to store and echo: no paths, no control characters, bounded. */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = Array.from(base)
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .slice(0, 200);
  return cleaned || 'document';
}

/** Uploads, reviews and reads case documents; the case workflow hears of every change. */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly config: AppConfig,
    private readonly cases: CasesService,
    private readonly documents: DocumentRepository,
  ) {}

  /**
   * Uploads a document: the bytes are stored first under the operation's id (the document's id),
   * then the case workflow applies the upload (update id = the operation's id), and its projection
   * writes the row. A retry with the same Idempotency-Key re-sends the same document id and update,
   * so one upload has one version, one event and one row whatever failed in between.
   */
  async upload(
    caseId: string,
    slot: { type: DocumentType; websiteIndex: number | null },
    file: UploadedFile | undefined,
    actor: string,
    operation: Operation,
  ): Promise<{ created: boolean; document: DocumentView }> {
    if (!file) throw new ValidationFailedError([{ field: 'file', message: 'file is required (multipart/form-data)' }]);
    const contentType = sniffContentType(file.buffer.subarray(0, 1024));
    if (!contentType) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Only PDF, JPEG and PNG files are accepted (recognised by their content)', {
        accepted: ['application/pdf', 'image/jpeg', 'image/png'],
      });
    }
    const documentId = operation.id;
    const applied = await this.documents.find(caseId, documentId);
    if (applied) return { created: true, document: toDocumentView(applied) }; // an earlier attempt of this upload
    const view = await this.cases.get(caseId);
    this.assertStage(view, 'upload-document');
    const problem = slotProblem(slot.type, slot.websiteIndex, view.websites.length);
    if (problem) throw new ValidationFailedError([{ field: 'websiteIndex', message: problem }]);

    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const current = await this.documents.current(caseId, slot.type, slot.websiteIndex);
    if (current && current.sha256 === sha256) return { created: false, document: toDocumentView(current) };

    await this.documents.storeContent(documentId, file.buffer);
    await this.cases.act(
      caseId,
      'upload-document',
      recordDocumentUploadUpdate,
      {
        actor,
        document: { id: documentId, type: slot.type, websiteIndex: slot.websiteIndex, sha256 },
        file: { size: file.size, contentType, filename: safeFilename(Buffer.from(file.originalname, 'latin1').toString('utf8')) },
      },
      operation,
    );
    return { created: true, document: toDocumentView(await this.projected(caseId, documentId)) };
  }

  /**
   * Accepts or rejects the current version of a document. The workflow decides (a superseded
   * version, a stage that takes no reviews) and its projection writes the review to the row.
   */
  async review(
    caseId: string,
    documentId: string,
    decision: 'ACCEPTED' | 'REJECTED',
    reason: string | null,
    actor: string,
    operation: Operation,
  ): Promise<DocumentView> {
    const document = await this.find(caseId, documentId);
    if (document.supersededBy) {
      throw new DomainError('DOCUMENT_SUPERSEDED', `Document ${documentId} was superseded by ${document.supersededBy}`, {
        documentId,
        supersededBy: document.supersededBy,
      });
    }
    await this.cases.act(caseId, 'review-document', recordDocumentReviewUpdate, { actor, documentId, decision, reason }, operation);
    return toDocumentView(await this.projected(caseId, documentId));
  }

  /** The row of a document the workflow applied (its projection ran before the update answered). */
  private async projected(caseId: string, documentId: string): Promise<DocumentEntity> {
    const document = await this.documents.find(caseId, documentId);
    if (!document) throw new Error(`document ${documentId} of case ${caseId} was applied by the workflow but has no row`);
    return document;
  }

  async list(caseId: string): Promise<{ items: DocumentView[]; checklist: ChecklistItem[] }> {
    const view = await this.cases.get(caseId);
    const items = await this.documents.list(caseId);
    const current = items
      .filter((d) => d.supersededBy === null)
      .map((d) => ({ type: d.type as DocumentType, websiteIndex: d.websiteIndex, status: d.status }));
    const facts = {
      filingType: view.filingType,
      submissionProvince: view.submissionProvince,
      applicant: view.applicant,
      websites: view.websites,
      hosting: view.hosting,
    };
    return { items: items.map(toDocumentView), checklist: checklist(facts, this.config.rules, current) };
  }

  async find(caseId: string, documentId: string): Promise<DocumentEntity> {
    const document = await this.documents.find(caseId, documentId);
    if (!document) {
      await this.cases.get(caseId); // 404 CASE_NOT_FOUND first, when it is the case that is unknown
      throw documentNotFound(caseId, documentId);
    }
    return document;
  }

  content(document: DocumentEntity) {
    return this.documents.content(document);
  }

  private assertStage(view: CaseView, action: 'upload-document' | 'review-document'): void {
    if (!ACTION_STAGES[action].includes(view.stage)) {
      throw new TransitionNotAllowedError(view.stage, action, allowedActions(view.stage));
    }
  }
}

function documentNotFound(caseId: string, documentId: string): DomainError {
  return new DomainError('DOCUMENT_NOT_FOUND', `No document ${documentId} in case ${caseId}`, { caseId, documentId });
}
