import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { unwatchFile, watchFile } from 'node:fs';
import { AppConfig, readSecret, temporalConnectError } from '../../../../libs/config/src';
import { activeTracing } from '../../../../libs/observability/src';
import { requestIdClientInterceptor } from '../observability/request-context';
import { codecDataConverter } from '../../../../libs/codec/src';

/**
 * The API's Temporal client, secured as TEMPORAL_TLS_* / TEMPORAL_API_KEY say (see
 * libs/config/src/connections.ts). The connection is lazy, so the API boots (and reports
 * not-ready, with the reason) while Temporal is down or refuses it.
 */
@Injectable()
export class TemporalClientService implements OnApplicationShutdown {
  private readonly logger = new Logger(TemporalClientService.name);
  readonly connection: Connection;
  readonly client: Client;

  constructor(private readonly config: AppConfig) {
    const { address, namespace, tls, apiKey, apiKeyFile } = config.temporal;
    this.connection = Connection.lazy({ address, tls, apiKey });
    // Payloads (case facts, personal data) are encrypted before they leave the process.
    this.client = new Client({
      connection: this.connection,
      namespace,
      // With tracing on, starts and updates get client spans and carry the trace context in their headers.
      interceptors: { workflow: [requestIdClientInterceptor, ...(activeTracing() ? [new OpenTelemetryWorkflowClientInterceptor()] : [])] },
      dataConverter: codecDataConverter(config.security.codecKeys),
    });
    if (apiKeyFile) {
      // A rotated key file (a Kubernetes secret update) is picked up without a restart.
      watchFile(apiKeyFile, { interval: 5000, persistent: false }, () => {
        const key = readSecret({ TEMPORAL_API_KEY_FILE: apiKeyFile }, 'TEMPORAL_API_KEY');
        if (key) this.connection.setApiKey(key);
        this.logger.log(`Reloaded the Temporal API key from ${apiKeyFile}`);
      });
    }
  }

  async ping(): Promise<void> {
    try {
      await this.connection.ensureConnected();
      await this.connection.withDeadline(Date.now() + 2000, () => this.connection.healthService.check({}));
    } catch (error) {
      throw temporalConnectError(this.config.temporal, error);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.config.temporal.apiKeyFile) unwatchFile(this.config.temporal.apiKeyFile);
    await this.connection.close();
  }
}
