import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Where document bytes live, by document id. `put` stores them before the case workflow hears of
 * the upload (putting the same id again changes nothing: a retried upload); `read` streams them
 * back in chunks.
 */
export abstract class DocumentStorage {
  abstract put(tx: EntityManager, documentId: string, content: Buffer): Promise<void>;
  abstract read(documentId: string, size: number): Readable;
}

const CHUNK = 1024 * 1024;

/** The default: bytes in PostgreSQL (`document_contents`, stored out of line and uncompressed). */
@Injectable()
export class PostgresDocumentStorage extends DocumentStorage {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async put(tx: EntityManager, documentId: string, content: Buffer): Promise<void> {
    await tx.query('INSERT INTO document_contents (document_id, content) VALUES ($1, $2) ON CONFLICT (document_id) DO NOTHING', [
      documentId,
      content,
    ]);
  }

  read(documentId: string, size: number): Readable {
    const db = this.db;
    return Readable.from(
      (async function* chunks() {
        for (let offset = 0; offset < size; offset += CHUNK) {
          const [row]: { chunk: Buffer }[] = await db.query(
            'SELECT substring(content FROM $2 FOR $3) AS chunk FROM document_contents WHERE document_id = $1',
            [documentId, offset + 1, CHUNK],
          );
          if (!row) throw new Error(`content of document ${documentId} is missing`);
          yield row.chunk;
        }
      })(),
      { objectMode: false },
    );
  }
}
