import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppConfig } from '../../../../libs/config/src';
import { CaseReadRepository } from '../../../../libs/persistence/src';
import { checkSearchAttributes, missingSearchAttributesMessage } from '../../../../libs/temporal-ops/src';
import { TemporalClientService } from '../temporal/temporal-client.service';

async function probe(check: () => Promise<unknown>, timeoutMs = 3000): Promise<{ status: 'up' | 'down'; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly cases: CaseReadRepository,
    private readonly temporal: TemporalClientService,
    private readonly config: AppConfig,
  ) {}

  /** The case workflow cannot start without its search attributes: not ready, saying which and how to add them. */
  private async searchAttributes(): Promise<void> {
    const { address, namespace } = this.config.temporal;
    const check = await checkSearchAttributes(this.temporal.connection, address, namespace);
    if (check.missing.length) throw new Error(missingSearchAttributesMessage(check, namespace));
  }

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'The process is up' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Ready when PostgreSQL and Temporal answer and the namespace has the search attributes (503 otherwise)' })
  async ready(@Res({ passthrough: true }) res: Response) {
    const [postgres, temporal] = await Promise.all([probe(() => this.cases.ping()), probe(() => this.temporal.ping())]);
    const searchAttributes = temporal.status === 'up' ? await probe(() => this.searchAttributes()) : { status: 'down' as const, error: 'Temporal is down' };
    const ok = postgres.status === 'up' && temporal.status === 'up' && searchAttributes.status === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks: { postgres, temporal, searchAttributes } };
  }
}
