import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { PayloadCodec } from '@temporalio/common';
import { AesGcmPayloadCodec, CodecError, payloadFromJson, payloadToJson, type JsonPayload } from '../../../../libs/codec/src';
import { AppConfig } from '../../../../libs/config/src';
import { ValidationFailedError } from '../../../../libs/domain/src';
import { FullPersonalData, Roles, STAFF } from '../auth';

/** A codec-server call carries at most this many payloads (a history page holds far fewer). */
const MAX_PAYLOADS = 1000;

const PAYLOADS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['payloads'],
  properties: {
    payloads: {
      type: 'array',
      maxItems: MAX_PAYLOADS,
      items: {
        type: 'object',
        properties: {
          metadata: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } },
          data: { type: 'string', format: 'byte' },
        },
      },
    },
  },
};
const PAYLOADS_BODY = ApiBody({ schema: PAYLOADS_SCHEMA });
const PAYLOADS_ANSWER = ApiOkResponse({ schema: PAYLOADS_SCHEMA, description: 'The payloads, encoded or decoded, in the order given' });

/**
 * Temporal's codec-server protocol (`POST …/encode`, `POST …/decode`, `{payloads: [...]}` in
 * proto3 JSON), so the Temporal UI and `temporal workflow show --codec-endpoint` can show an
 * authorised operator what the encrypted histories hold. Behind the same authentication as the
 * API; cross-origin calls only from ICP_CODEC_CORS_ORIGIN (see create-app).
 */
@ApiTags('codec')
@Controller('codec')
export class CodecController {
  private readonly codec: PayloadCodec | null;

  constructor(config: AppConfig) {
    this.codec = config.security.codecKeys.length ? new AesGcmPayloadCodec(config.security.codecKeys) : null;
  }

  @Post('encode')
  @HttpCode(200)
  @Roles(...STAFF)
  @FullPersonalData()
  @PAYLOADS_BODY
  @PAYLOADS_ANSWER
  @ApiOperation({ summary: 'Encrypts payloads with the active codec key (Temporal codec-server protocol)' })
  encode(@Body() body: unknown): Promise<{ payloads: JsonPayload[] }> {
    return this.run(body, (payloads) => this.codec?.encode(payloads) ?? Promise.resolve(payloads));
  }

  @Post('decode')
  @HttpCode(200)
  @Roles(...STAFF)
  @FullPersonalData()
  @PAYLOADS_BODY
  @PAYLOADS_ANSWER
  @ApiOperation({ summary: 'Decrypts payloads, with whichever configured key encrypted them (Temporal codec-server protocol)' })
  decode(@Body() body: unknown): Promise<{ payloads: JsonPayload[] }> {
    return this.run(body, (payloads) => this.codec?.decode(payloads) ?? Promise.resolve(payloads));
  }

  private async run(body: unknown, fn: (payloads: ReturnType<typeof payloadFromJson>[]) => Promise<ReturnType<typeof payloadFromJson>[]>) {
    // proto3 JSON leaves an empty list out: `{}` is no payloads (the CLI sends it for events without any).
    const list = (body as { payloads?: unknown } | null)?.payloads ?? [];
    if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(list) || list.length > MAX_PAYLOADS) {
      throw new ValidationFailedError([{ field: 'payloads', message: `payloads must be a list of at most ${MAX_PAYLOADS} payloads` }]);
    }
    try {
      const payloads = list.map((p, i) => payloadFromJson(p, i));
      return { payloads: (await fn(payloads)).map(payloadToJson) };
    } catch (error) {
      if (error instanceof TypeError || error instanceof CodecError) {
        throw new ValidationFailedError([{ field: 'payloads', message: error.message }]);
      }
      throw error;
    }
  }
}
