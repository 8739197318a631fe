import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AppConfig, ConfigModule } from '../../../libs/config/src';
import { PersistenceModule } from '../../../libs/persistence/src';
import { CasesController } from './cases/cases.controller';
import { HostingController } from './hosting/hosting.controller';
import { CasesService } from './cases/cases.service';
import { AdmissionMiddleware } from './admission/admission.middleware';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import { IdempotencyPurger } from './common/idempotency-purger';
import { RequestGuardMiddleware } from './common/request-guard.middleware';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { DocumentsController } from './documents/documents.controller';
import { DocumentsService } from './documents/documents.service';
import { HealthController } from './health/health.controller';
import { HttpMetrics } from './observability/http-metrics';
import { MetricsController } from './observability/metrics.controller';
import { NotificationsController } from './notifications/notifications.controller';
import { SchedulesController } from './schedules/schedules.controller';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksService } from './webhooks/webhooks.service';
import { TemporalClientService } from './temporal/temporal-client.service';
import { AuthModule } from './auth/auth.module';
import { CodecController } from './codec/codec.controller';
import { ConsoleModule } from './console/console.module';

@Module({})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AdmissionMiddleware, RequestGuardMiddleware).forRoutes('*path');
  }

  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        PersistenceModule,
        AuthModule,
        ConsoleModule,
        // Uploads are bounded (ICP_MAX_UPLOAD_MB, 413 past it), so buffering one in memory is safe.
        MulterModule.registerAsync({
          inject: [AppConfig],
          useFactory: (c: AppConfig) => ({
            storage: memoryStorage(),
            limits: { fileSize: c.maxUploadBytes, files: 1, fields: 5, fieldSize: 1024, parts: 8 },
          }),
        }),
      ],
      controllers: [CasesController, DocumentsController, HealthController, MetricsController, NotificationsController, WebhooksController, SchedulesController, CodecController, HostingController],
      providers: [TemporalClientService, CasesService, DocumentsService, WebhooksService, IdempotencyInterceptor, IdempotencyPurger, HttpMetrics],
    };
  }
}
