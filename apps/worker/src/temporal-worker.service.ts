import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { AppConfig } from '../../../libs/config/src';
import { CaseActivitiesService } from './activities/case.activities';
import { workflowBundlerOptions } from './workflow-bundle';

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

  /** Connects and starts polling; `stopped` settles when the worker stops (rejects if it fails). */
  async start(): Promise<{ stopped: Promise<void> }> {
    const { address, namespace, taskQueue } = this.config.temporal;
    this.connection = await NativeConnection.connect({ address });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace,
      taskQueue,
      activities: this.activities.asActivities(),
      ...this.config.worker,
      ...this.source.options,
    });
    this.logger.log(`Polling task queue '${taskQueue}' on ${address} (namespace ${namespace})`);
    const running = this.worker.run();
    this.running = running;
    return { stopped: running };
  }

  /** Stops polling, lets running tasks finish, and closes the connection. */
  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
  }
}
