import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { AppConfig } from '../../../../libs/config/src';
import { requestIdClientInterceptor } from '../observability/request-context';

/** The API's Temporal client. The connection is lazy, so the API boots (and reports not-ready) while Temporal is down. */
@Injectable()
export class TemporalClientService implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;

  constructor(config: AppConfig) {
    this.connection = Connection.lazy({ address: config.temporal.address });
    this.client = new Client({
      connection: this.connection,
      namespace: config.temporal.namespace,
      interceptors: { workflow: [requestIdClientInterceptor] },
    });
  }

  async ping(): Promise<void> {
    await this.connection.ensureConnected();
    await this.connection.withDeadline(Date.now() + 2000, () => this.connection.healthService.check({}));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
