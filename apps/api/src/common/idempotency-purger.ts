import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../../../libs/config/src';
import { DocumentRepository, IdempotencyRepository } from '../../../../libs/persistence/src';

/** How often the purge runs at most (a shorter TTL runs it four times per TTL). */
const MAX_INTERVAL_MS = 10 * 60_000;

/**
 * Forgets what is older than ICP_IDEMPOTENCY_TTL, on a timer in the API: Idempotency-Keys (a key
 * older than that is also ignored at reservation, so the purge only keeps the table small), and
 * document contents no document row refers to (uploads that never reached the workflow).
 */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly keys: IdempotencyRepository,
    private readonly documents: DocumentRepository,
  ) {}

  onApplicationBootstrap(): void {
    const every = Math.max(1000, Math.min(MAX_INTERVAL_MS, this.config.idempotencyTtlMs / 4));
    this.timer = setInterval(() => void this.purge().catch((e: unknown) => this.logger.warn(`purge failed: ${String(e)}`)), every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<{ keys: number; contents: number }> {
    const keys = await this.keys.purge(this.config.idempotencyTtlMs);
    const contents = await this.documents.purgeUnreferencedContents(this.config.idempotencyTtlMs);
    if (keys + contents > 0) this.logger.log(`purged ${keys} expired Idempotency-Keys and ${contents} unreferenced document contents`);
    return { keys, contents };
  }
}
