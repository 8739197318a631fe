import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger as PinoLogger } from 'pino';
import { AppConfig } from '../../../libs/config/src';
import { TemporalPinoLogger } from '../../../libs/observability/src';
import { CaseActivitiesService } from './activities/case.activities';
import { requestIdActivityInterceptor } from './request-id.activity-interceptor';
import { workflowBundlerOptions } from './workflow-bundle';

/** Workflow interceptor modules: bundled with the workflow code (a prebuilt bundle must include them too). */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../../../workflows/src/request-id.interceptors')];

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
    private readonly source: WorkflowSource,
  ) {}

  /**
   * Connects and starts polling; `polling` settles once the worker is running (polls its task
   * queue), `stopped` when it stops (rejects if it fails).
   */
  async start(): Promise<{ stopped: Promise<void>; polling: Promise<void> }> {
    const { address, namespace, taskQueue } = this.config.temporal;
    this.connection = await NativeConnection.connect({ address });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace,
      taskQueue,
      activities: this.activities.asActivities(),
      ...this.config.worker,
      ...this.source.options,
      interceptors: {
        activity: [requestIdActivityInterceptor],
        // A prebuilt bundle carries them already (and the SDK warns when they are given again).
        ...(this.source.options.workflowBundle ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }),
      },
    });
    const worker = this.worker;
    const running = worker.run();
    this.running = running;
    const polling = new Promise<void>((resolve, reject) => {
      const check = () => {
        if (worker.getState() === 'RUNNING') {
          this.logger.log(`Polling task queue '${taskQueue}' on ${address} (namespace ${namespace})`);
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
    await this.connection?.close();
  }
}
