import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfig, ConfigModule } from '../../../libs/config/src';
import { PersistenceModule } from '../../../libs/persistence/src';
import { CaseActivitiesService } from './activities/case.activities';
import { DnsResolutionChecker } from './activities/dns-resolution.checker';
import { cloudInventoryProvider, HostingActivitiesService } from './activities/hosting.activities';
import { HostingWatchActivitiesService } from './activities/hosting-watch.activities';
import { ReminderActivitiesService } from './activities/reminders.activities';
import { WebhookActivitiesService } from './activities/webhooks.activities';
import { ReminderScheduleService } from './reminder-schedule.service';
import { WorkerTemporalClient } from './temporal-client';
import { TemporalWorkerService, WorkflowSource } from './temporal-worker.service';

@Module({})
export class WorkerModule {
  static forRoot(config?: AppConfig, source: WorkflowSource = WorkflowSource.default()): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule],
      providers: [
        DnsResolutionChecker,
        CaseActivitiesService,
        cloudInventoryProvider,
        HostingActivitiesService,
        HostingWatchActivitiesService,
        WorkerTemporalClient,
        WebhookActivitiesService,
        ReminderActivitiesService,
        ReminderScheduleService,
        TemporalWorkerService,
        { provide: WorkflowSource, useValue: source },
      ],
      exports: [TemporalWorkerService, ReminderScheduleService, WorkerTemporalClient],
    };
  }
}
