import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { floorActivities, FLOOR_TABLE_SQL } from './activities';
import { floorStep, floorWorkflow } from './workflows';

/** The floor, built and run by the bench: its own bundle, worker and task queue, same server and database. */
export interface Floor {
  /** Starts a floor workflow with its first Update (as the project's creation does). */
  create(): Promise<string>;
  step(id: string, value: string): Promise<number>;
  close(): Promise<void>;
}

export async function startFloor(address: string, databaseUrl: string, namespace = 'default'): Promise<Floor> {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  await pool.query(FLOOR_TABLE_SQL);
  const taskQueue = `bench-floor-${randomUUID()}`;
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./workflows'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue,
    workflowBundle: bundle,
    activities: floorActivities(pool),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  return {
    async create() {
      const workflowId = `floor-${randomUUID()}`;
      await client.workflow.executeUpdateWithStart(floorStep, {
        args: ['created'],
        startWorkflowOperation: new WithStartWorkflowOperation(floorWorkflow, { workflowId, taskQueue, workflowIdConflictPolicy: 'FAIL' }),
      });
      return workflowId;
    },
    step: (id, value) => client.workflow.getHandle(id).executeUpdate(floorStep, { args: [value] }),
    async close() {
      worker.shutdown();
      await running.catch(() => undefined);
      await nativeConnection.close();
      await connection.close();
      await pool.end();
    },
  };
}
