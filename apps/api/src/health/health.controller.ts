import { Controller, Get, HttpCode, Logger, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-responses';
import type { Response } from 'express';
import { AppConfig } from '../../../../libs/config/src';
import { CaseReadRepository } from '../../../../libs/persistence/src';
import { checkSearchAttributes, missingSearchAttributesMessage } from '../../../../libs/temporal-ops/src';
import { TemporalClientService } from '../temporal/temporal-client.service';

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

/** The check's answer within `timeoutMs`, or its error. */
async function probeResult<T>(check: () => Promise<T>, timeoutMs = 3000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export class LiveDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

export class ProbeDto {
  @ApiProperty({ enum: ['up', 'down'] })
  status: 'up' | 'down';

  @ApiPropertyOptional({ description: 'Why it is down' })
  error?: string;
}

export class ReadinessChecksDto {
  @ApiProperty({ type: ProbeDto })
  postgres: ProbeDto;

  @ApiProperty({ type: ProbeDto })
  temporal: ProbeDto;

  @ApiProperty({ type: ProbeDto, description: "The namespace has the case workflow's search attributes (error names the missing ones and the command that adds them)" })
  searchAttributes: ProbeDto;
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status: 'ok' | 'unavailable';

  @ApiProperty({ type: ReadinessChecksDto })
  checks: ReadinessChecksDto;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly cases: CaseReadRepository,
    private readonly temporal: TemporalClientService,
    private readonly config: AppConfig,
  ) {}

  /**
   * The case workflow cannot start without its search attributes: not ready, naming the missing
   * ones and the command that adds them (names and a command, nothing secret).
   */
  private async searchAttributes(): Promise<{ status: 'up' | 'down'; error?: string }> {
    const { address, namespace } = this.config.temporal;
    let check;
    try {
      check = await probeResult(() => checkSearchAttributes(this.temporal.connection, address, namespace));
    } catch (error) {
      logger.warn(`search attributes not readable: ${error instanceof Error ? error.message : String(error)}`);
      return { status: 'down', error: 'Temporal did not answer' };
    }
    return check.missing.length ? { status: 'down', error: missingSearchAttributesMessage(check, namespace) } : { status: 'up' };
  }

  @Get('live')
  @HttpCode(200)
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkResponse({ type: LiveDto, description: 'Always, while the process serves HTTP' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Ready when PostgreSQL and Temporal answer and the namespace has the search attributes (503 otherwise)' })
  @ApiOkResponse({ type: ReadinessDto, description: 'PostgreSQL and Temporal answer' })
  @ApiResponse({
    status: 503,
    type: ReadinessDto,
    description: 'PostgreSQL or Temporal does not answer, or search attributes are missing (see checks)',
    headers: { 'Retry-After': { description: 'Seconds to wait before asking again', schema: { type: 'integer' } } },
  })
  @ApiErrors()
  async ready(@Res({ passthrough: true }) res: Response) {
    const [postgres, temporal] = await Promise.all([
      probe('PostgreSQL', () => this.cases.ping()),
      probe('Temporal', () => this.temporal.ping()),
    ]);
    const searchAttributes = temporal.status === 'up' ? await this.searchAttributes() : { status: 'down' as const, error: 'Temporal did not answer' };
    const ok = postgres.status === 'up' && temporal.status === 'up' && searchAttributes.status === 'up';
    res.status(ok ? 200 : 503);
    if (!ok) res.setHeader('Retry-After', '5');
    return { status: ok ? 'ok' : 'unavailable', checks: { postgres, temporal, searchAttributes } };
  }
}
