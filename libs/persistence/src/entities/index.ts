import { CaseEventEntity } from './case-event.entity';
import { CaseEntity } from './case.entity';
import { DocumentContentEntity } from './document-content.entity';
import { DocumentEntity } from './document.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

export { CaseEntity, CaseEventEntity, DocumentContentEntity, DocumentEntity, IdempotencyKeyEntity };
export const ENTITIES = [CaseEntity, CaseEventEntity, IdempotencyKeyEntity, DocumentEntity, DocumentContentEntity];
