import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/src';
import { CaseProjectionRepository } from './case-projection.repository';
import { CaseReadRepository } from './case-read.repository';
import { dataSourceOptions } from './data-source';
import { DocumentRepository } from './document.repository';
import { IdempotencyRepository } from './idempotency.repository';
import { NotificationRepository } from './notification.repository';
import { WebhookRepository } from './webhook.repository';
import { DocumentStorage, PostgresDocumentStorage } from './storage/document-storage';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => dataSourceOptions(config.database),
    }),
  ],
  providers: [
    CaseProjectionRepository,
    CaseReadRepository,
    IdempotencyRepository,
    DocumentRepository,
    NotificationRepository,
    WebhookRepository,
    { provide: DocumentStorage, useClass: PostgresDocumentStorage },
  ],
  exports: [NotificationRepository, WebhookRepository, CaseProjectionRepository, CaseReadRepository, IdempotencyRepository, DocumentRepository, DocumentStorage],
})
export class PersistenceModule {}
