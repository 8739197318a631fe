import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { unwatchFile, watchFile } from 'node:fs';
import type { Logger as PinoLogger } from 'pino';
import { AppConfig, readSecret, temporalConnectError } from '../../../libs/config/src';
import { activeTracing, TemporalPinoLogger } from '../../../libs/observability/src';
import { codecDataConverter } from '../../../libs/codec/src';
import { CaseActivitiesService } from './activities/case.activities';
import { HostingActivitiesService } from './activities/hosting.activities';
import { HostingWatchActivitiesService } from './activities/hosting-watch.activities';
import { requestIdActivityInterceptor } from './request-id.activity-interceptor';
import { ReminderActivitiesService } from './activities/reminders.activities';
import { WebhookActivitiesService } from './activities/webhooks.activities';
import { ReminderScheduleService } from './reminder-schedule.service';
import { tracingActivityInterceptor, tracingSinks, TRACING_WORKFLOW_INTERCEPTOR_MODULE } from './tracing.interceptors';
import { workflowBundlerOptions } from './workflow-bundle';

/** Workflow interceptor modules: bundled with the workflow code (a prebuilt bundle must include them too). */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../../../workflows/src/request-id.interceptors'), TRACING_WORKFLOW_INTERCEPTOR_MODULE];

/** Where the worker gets its workflow code: a prebuilt bundle (tests, images) or the sources. */
export class WorkflowSource {
  constructor(readonly options: Pick<WorkerOptions, 'workflowsPath' | 'workflowBundle' | 'bundlerOptions'>) {}

  static default(): WorkflowSource {
    const bundle = process.env.ICP_WORKFLOW_BUNDLE;
    return bundle
      ? new WorkflowSource({ workflowBundle: { codePath: bundle } })
      : new WorkflowSource({ workflowsPath: require.resolve('../../../workflows/src'), bundlerOptions: workflowBundlerOptions });
  }
}

/**
 * The process's Temporal runtime (once, before any connection): the SDK's and the workflows' and
 * activities' log lines into the process's pino logger, and the SDK's own metrics (workflow and
 * activity task latencies, slots, polls) served for Prometheus on `metricsPort` (0: off).
 */
export function installTemporalRuntime(logger: PinoLogger, metricsPort: number): void {
  Runtime.install({
    logger: new TemporalPinoLogger(logger),
    telemetryOptions: {
      logging: { filter: 'WARN', forward: {} },
      ...(metricsPort ? { metrics: { prometheus: { bindAddress: `0.0.0.0:${metricsPort}` } } } : {}),
    },
  });
}

/** Owns the Temporal worker: created and run on demand, drained on shutdown. */
@Injectable()
export class TemporalWorkerService implements OnApplicationShutdown {
  private readonly logger = new Logger(TemporalWorkerService.name);
  private worker?: Worker;
  private connection?: NativeConnection;
  private running?: Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly activities: CaseActivitiesService,
    private readonly hosting: HostingActivitiesService,
    private readonly hostingWatch: HostingWatchActivitiesService,
    private readonly reminders: ReminderActivitiesService,
    private readonly webhooks: WebhookActivitiesService,
    private readonly schedule: ReminderScheduleService,
    private readonly source: WorkflowSource,
  ) {}

  /**
   * Connects and starts polling; `polling` settles once the worker is running (polls its task
   * queue), `stopped` when it stops (rejects if it fails).
   */
  async start(): Promise<{ stopped: Promise<void>; polling: Promise<void> }> {
    const { address, namespace, taskQueue, tls, apiKey, apiKeyFile, describe } = this.config.temporal;
    const tracing = activeTracing();
    try {
      this.connection = await NativeConnection.connect({ address, tls, apiKey });
      // The first call proves the TLS handshake and the credentials, so a refused certificate
      // is a clear start-up error rather than a worker that polls nothing.
      await this.connection.workflowService.getSystemInfo({});
    } catch (error) {
      await this.connection?.close().catch(() => undefined);
      this.connection = undefined;
      throw temporalConnectError(this.config.temporal, error);
    }
    if (apiKeyFile) {
      const connection = this.connection;
      watchFile(apiKeyFile, { interval: 5000, persistent: false }, () => {
        const key = readSecret({ TEMPORAL_API_KEY_FILE: apiKeyFile }, 'TEMPORAL_API_KEY');
        if (key) void connection.setApiKey(key).then(() => this.logger.log(`Reloaded the Temporal API key from ${apiKeyFile}`));
      });
    }
    this.worker = await Worker.create({
      connection: this.connection,
      namespace,
      taskQueue,
      activities: {
        ...this.activities.asActivities(),
        ...this.reminders.asActivities(),
        ...this.webhooks.asActivities(),
        ...this.hosting.asActivities(),
        ...this.hostingWatch.asActivities(),
      },
      // The same codec as the API's client: histories hold ciphertext only.
      dataConverter: codecDataConverter(this.config.security.codecKeys),
      ...this.config.worker,
      ...this.source.options,
      sinks: tracingSinks(tracing),
      interceptors: {
        activity: [requestIdActivityInterceptor, ...(tracing ? [tracingActivityInterceptor] : [])],
        // A prebuilt bundle carries them already (and the SDK warns when they are given again).
        ...(this.source.options.workflowBundle ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }),
      },
    });
    const worker = this.worker;
    const running = worker.run();
    try {
      await this.schedule.ensure();
    } catch (error) {
      worker.shutdown();
      await running.catch(() => undefined);
      throw error;
    }
    this.running = running;
    const polling = new Promise<void>((resolve, reject) => {
      const check = () => {
        if (worker.getState() === 'RUNNING') {
          this.logger.log(`Polling task queue '${taskQueue}' on ${describe}`);
          return resolve();
        }
        if (worker.getState() !== 'INITIALIZED') return reject(new Error(`worker ${worker.getState().toLowerCase()} before polling`));
        setTimeout(check, 20);
      };
      check();
    });
    polling.catch(() => undefined); // callers that only await `stopped` see the failure there
    return { stopped: running, polling };
  }

  /** Stops polling, lets running tasks finish, and closes the connection. */
  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    if (this.config.temporal.apiKeyFile) unwatchFile(this.config.temporal.apiKeyFile);
    await this.connection?.close();
  }
}
