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

  async upload(
    caseId: string,
    slot: { type: DocumentType; websiteIndex: number | null },
    file: UploadedFile | undefined,
    actor: string,
  ): Promise<{ created: boolean; document: DocumentView }> {
    if (!file) throw new ValidationFailedError([{ field: 'file', message: 'file is required (multipart/form-data)' }]);
    const contentType = sniffContentType(file.buffer.subarray(0, 1024));
    if (!contentType) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Only PDF, JPEG and PNG files are accepted (recognised by their content)', {
        accepted: ['application/pdf', 'image/jpeg', 'image/png'],
      });
    }
    const view = await this.cases.get(caseId);
    this.assertStage(view, 'upload-document');
    const problem = slotProblem(slot.type, slot.websiteIndex, view.websites.length);
    if (problem) throw new ValidationFailedError([{ field: 'websiteIndex', message: problem }]);

    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const outcome = await this.documents.upload(
      {
        caseId,
        type: slot.type,
        websiteIndex: slot.websiteIndex,
        sha256,
        size: file.size,
        contentType,
        filename: safeFilename(Buffer.from(file.originalname, 'latin1').toString('utf8')),
        uploadedBy: actor,
        content: file.buffer,
      },
      // Inside the transaction: if the workflow refuses (the stage moved on), nothing is stored.
      async (document) => {
        await this.cases.act(caseId, 'upload-document', recordDocumentUploadUpdate, {
          actor,
          document: { id: document.id, type: slot.type, websiteIndex: slot.websiteIndex, sha256 },
        });
      },
    );
    return { created: outcome.created, document: toDocumentView(outcome.document) };
  }

  async review(
    caseId: string,
    documentId: string,
    decision: 'ACCEPTED' | 'REJECTED',
    reason: string | null,
    actor: string,
  ): Promise<DocumentView> {
    const view = await this.cases.get(caseId);
    this.assertStage(view, 'review-document');
    const reviewed = await this.documents.review(
      caseId,
      documentId,
      { status: decision, reason, reviewedBy: actor },
      (document) => {
        if (document.supersededBy) {
          throw new DomainError('DOCUMENT_SUPERSEDED', `Document ${documentId} was superseded by ${document.supersededBy}`, {
            documentId,
            supersededBy: document.supersededBy,
          });
        }
      },
      async () => {
        await this.cases.act(caseId, 'review-document', recordDocumentReviewUpdate, { actor, documentId, decision, reason });
      },
    );
    if (!reviewed) throw documentNotFound(caseId, documentId);
    return toDocumentView(reviewed);
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
