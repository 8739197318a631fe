import { Injectable, Logger } from '@nestjs/common';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { AppConfig } from '../../../libs/config/src';
import { WorkerTemporalClient } from './temporal-client';

/**
 * The Temporal Schedule that runs the reminder sweep, created or brought up to date when the
 * worker starts (idempotent: every worker of a deployment may do it).
 *
 * Policies, chosen on purpose:
 * - overlap SKIP: a sweep still running when the next is due makes the next one pointless (the
 *   running one already sees today's deadlines; a skipped run loses nothing, the next covers it);
 * - catch-up window ICP_REMINDER_CATCHUP_WINDOW (default 1 day): after an outage of the Temporal
 *   server, the missed 09:00 run is made up once, as long as it is less than a day late; older
 *   runs are dropped, because the next run judges the cases as they are then anyway. A worker that
 *   was down does not miss runs at all: the run waits on the task queue until a worker polls.
 * - A made-up or repeated run sends nothing twice: notifications are unique per (recipient, case,
 *   rule, kind, deadline), digests per (run, recipient), deliveries per (webhook, digest).
 */
@Injectable()
export class ReminderScheduleService {
  private readonly logger = new Logger(ReminderScheduleService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly temporal: WorkerTemporalClient,
  ) {}

  options(): ScheduleOptions | null {
    const schedule = this.config.reminders.schedule;
    if (!schedule) return null;
    return {
      scheduleId: schedule.id,
      spec: { cronExpressions: [schedule.cron], timezone: schedule.timezone },
      action: {
        type: 'startWorkflow',
        workflowType: 'reminderSweepWorkflow',
        workflowId: `ReminderSweep:${this.config.temporal.taskQueue}`,
        taskQueue: this.config.temporal.taskQueue,
        args: [{}],
        staticSummary: 'Reminder sweep: overdue and due-soon deadlines, expiring instances and certificates',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: schedule.catchupWindowMs },
      memo: { purpose: 'reminder sweep' },
    };
  }

  async ensure(): Promise<void> {
    const options = this.options();
    if (!options) return;
    const schedules = this.temporal.client.schedule;
    const updateOnce = () =>
      schedules.getHandle(options.scheduleId).update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action,
        policies: { ...previous.policies, ...options.policies },
      }));
    // Replicas start together and update the same schedule: a concurrent update (conflict token)
    // is retried, so one worker's start never fails because another started at the same moment.
    const update = async (): Promise<void> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await updateOnce();
        } catch (error) {
          if (error instanceof ScheduleNotFoundError || attempt >= 5) throw error;
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
    };
    try {
      await update();
      this.logger.log(`Schedule ${options.scheduleId} updated (${options.spec.cronExpressions?.join(' ')} ${options.spec.timezone})`);
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
      try {
        await schedules.create(options);
        this.logger.log(`Schedule ${options.scheduleId} created`);
      } catch (createError) {
        if (!(createError instanceof ScheduleAlreadyRunning)) throw createError;
        await update(); // another worker created it meanwhile
      }
    }
  }
}
