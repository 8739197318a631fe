import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { codecDataConverter } from '../../../libs/codec/src';
import { AppConfig } from '../../../libs/config/src';

/** The worker's own Temporal client: activities start delivery workflows, the boot creates the reminder Schedule. */
@Injectable()
export class WorkerTemporalClient implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;

  constructor(config: AppConfig) {
    this.connection = Connection.lazy({ address: config.temporal.address, tls: config.temporal.tls, apiKey: config.temporal.apiKey });
    // The same payload codec as the API and the worker: what this client starts (deliveries, the
    // reminder Schedule's action) is encrypted like every other payload when ICP_CODEC_KEYS is set.
    this.client = new Client({ connection: this.connection, namespace: config.temporal.namespace, dataConverter: codecDataConverter(config.security.codecKeys) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
