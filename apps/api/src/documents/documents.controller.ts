import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { Logger } from '@nestjs/common';
import { RETRY_AFTER_SECONDS, toErrorResponse } from '../common/api-exception.filter';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiActor, ApiErrors, ApiIdempotencyKey } from '../openapi/api-responses';
import type { Response } from 'express';
import { DOCUMENT_TYPES } from '../../../../libs/domain/src';
import { IdempotencyInterceptor } from '../common/idempotency.interceptor';
import { ActorName, CaseIdPipe, UuidParamPipe } from '../common/request-context';
import { CurrentOperation, type Operation } from '../common/operation';
import { DocumentListDto, DocumentViewDto, ReviewDocumentDto, UploadDocumentDto } from './documents.dto';
import { DocumentsService, type UploadedFile as File } from './documents.service';
import { UploadLimitInterceptor } from './upload-limit.interceptor';

const DocumentIdPipe = new UuidParamPipe('docId', 'a document id');

/** RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name, never a header injection. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const CASE_ID = ApiParam({ name: 'id', format: 'uuid', description: 'The case id' });
const DOC_ID = ApiParam({ name: 'docId', format: 'uuid', description: 'The document id (one version)' });

const streamLogger = new Logger('Documents');

/**
 * A download whose content could not be read. Before the first chunk the answer is still an
 * error in the contract's shape (503 when the database is down, 500 otherwise), not the file's
 * headers with Nest's default 400 text; after it, the connection is cut so a truncated file never
 * looks complete.
 */
function answerStreamError(error: Error, res: Response): void {
  streamLogger.error(`download failed: ${error.stack ?? error.message}`);
  if (res.destroyed) return;
  if (res.headersSent) {
    res.destroy(error);
    return;
  }
  const { status, body } = toErrorResponse(error);
  for (const header of ['Content-Disposition', 'Content-Length', 'ETag']) res.removeHeader(header);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  res.status(status).send(JSON.stringify(body));
}

@ApiTags('documents')
@Controller('v1/cases/:id/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @HttpCode(201)
  // After the file is read, so the key's request hash covers the bytes (same key, other bytes: 409).
  @UseInterceptors(UploadLimitInterceptor, FileInterceptor('file'), IdempotencyInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'type'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'PDF, JPEG or PNG (recognised by content)' },
        type: { type: 'string', enum: [...DOCUMENT_TYPES] },
        websiteIndex: { type: 'integer', minimum: 0 },
      },
    },
  })
  @ApiOperation({ summary: 'Uploads a document (201; the same bytes again for the same slot answer the existing one, 200)' })
  @CASE_ID
  @ApiActor()
  @ApiIdempotencyKey()
  @ApiResponse({ status: 201, type: DocumentViewDto, description: 'Stored as a new version of its slot' })
  @ApiResponse({ status: 200, type: DocumentViewDto, description: 'The same bytes are already the slot’s current version: that document' })
  @ApiErrors('CASE_NOT_FOUND', 'TRANSITION_NOT_ALLOWED', 'IDEMPOTENCY_KEY_REUSED', 'SERVICE_UNAVAILABLE')
  async upload(
    @Param('id', CaseIdPipe) id: string,
    @Body() body: UploadDocumentDto,
    @UploadedFile() file: File | undefined,
    @ActorName() actor: string,
    @CurrentOperation() op: Operation,
    @Res({ passthrough: true }) res: Response,
  ) {
    const slot = { type: body.type, websiteIndex: body.websiteIndex ?? null };
    const { created, document } = await this.documents.upload(id, slot, file, actor, op);
    res.status(created ? 201 : 200);
    return document;
  }

  @Get()
  @ApiOperation({ summary: 'Documents (every version) and the checklist' })
  @CASE_ID
  @ApiResponse({ status: 200, type: DocumentListDto, description: 'The documents and the checklist' })
  @ApiErrors('CASE_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  list(@Param('id', CaseIdPipe) id: string) {
    return this.documents.list(id);
  }

  @Get(':docId/content')
  @ApiOperation({ summary: 'The file, streamed' })
  @CASE_ID
  @DOC_ID
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png')
  @ApiResponse({
    status: 200,
    description: 'The bytes as uploaded',
    schema: { type: 'string', format: 'binary' },
    headers: {
      'Content-Disposition': { description: 'attachment with the ASCII and the UTF-8 (RFC 5987) filename', schema: { type: 'string' } },
      ETag: { description: 'The SHA-256 of the content, quoted', schema: { type: 'string' } },
    },
  })
  @ApiErrors('CASE_NOT_FOUND', 'DOCUMENT_NOT_FOUND', 'SERVICE_UNAVAILABLE')
  async content(
    @Param('id', CaseIdPipe) id: string,
    @Param('docId', DocumentIdPipe) docId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const document = await this.documents.find(id, docId);
    res.setHeader('ETag', `"${document.sha256}"`);
    return new StreamableFile(this.documents.content(document), {
      type: document.contentType,
      length: document.size,
      disposition: contentDisposition(document.filename),
    }).setErrorHandler((error, response) => answerStreamError(error, response as unknown as Response));
  }

  @Post(':docId/review')
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Accepts or rejects (with a reason) the current version of a document' })
  @CASE_ID
  @DOC_ID
  @ApiActor()
  @ApiIdempotencyKey()
  @ApiResponse({ status: 200, type: DocumentViewDto, description: 'The document as reviewed' })
  @ApiErrors('CASE_NOT_FOUND', 'DOCUMENT_NOT_FOUND', 'DOCUMENT_SUPERSEDED', 'TRANSITION_NOT_ALLOWED', 'IDEMPOTENCY_KEY_REUSED', 'SERVICE_UNAVAILABLE')
  review(
    @Param('id', CaseIdPipe) id: string,
    @Param('docId', DocumentIdPipe) docId: string,
    @Body() body: ReviewDocumentDto,
    @ActorName() actor: string,
    @CurrentOperation() op: Operation,
  ) {
    return this.documents.review(id, docId, body.decision, body.reason ?? null, actor, op);
  }
}
