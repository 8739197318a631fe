import { Controller, Get, HttpCode, Logger, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CaseReadRepository } from '../../../../libs/persistence/src';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { Public } from '../auth';

const logger = new Logger('Health');

/**
 * Runs one readiness check. A failure answers what is wrong in words safe to show anyone; the
 * driver's own message (which may name hosts, users, databases) goes to the log only.
 */
async function probe(name: string, check: () => Promise<unknown>, timeoutMs = 3000): Promise<{ status: 'up' | 'down'; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return { status: 'up' };
  } catch (error) {
    logger.warn(`${name} is not ready: ${error instanceof Error ? error.message : String(error)}`);
    return { status: 'down', error: `${name} did not answer` };
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly cases: CaseReadRepository,
    private readonly temporal: TemporalClientService,
  ) {}

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'The process is up' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Ready when PostgreSQL and Temporal answer (503 otherwise)' })
  async ready(@Res({ passthrough: true }) res: Response) {
    const [postgres, temporal] = await Promise.all([
      probe('PostgreSQL', () => this.cases.ping()),
      probe('Temporal', () => this.temporal.ping()),
    ]);
    const ok = postgres.status === 'up' && temporal.status === 'up';
    res.status(ok ? 200 : 503);
    if (!ok) res.setHeader('Retry-After', '5');
    return { status: ok ? 'ok' : 'unavailable', checks: { postgres, temporal } };
  }
}
