import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export type Reservation =
  | { state: 'reserved' }
  | { state: 'answered'; statusCode: number; response: unknown }
  | { state: 'in-progress' }
  | { state: 'different-request' };

/** Remembers answers to requests sent with an Idempotency-Key. */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Claims the key for this request, or tells what an earlier request with it did. */
  async reserve(scope: string, key: string, requestHash: string): Promise<Reservation> {
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [scope, key, requestHash],
    );
    if (inserted.length > 0) return { state: 'reserved' };
    const [row]: { request_hash: string; status_code: number | null; response: unknown }[] = await this.db.query(
      'SELECT request_hash, status_code, response FROM idempotency_keys WHERE scope = $1 AND key = $2',
      [scope, key],
    );
    if (!row) return this.reserve(scope, key, requestHash); // released meanwhile
    if (row.request_hash !== requestHash) return { state: 'different-request' };
    if (row.status_code === null) return { state: 'in-progress' };
    return { state: 'answered', statusCode: row.status_code, response: row.response };
  }

  async complete(scope: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.db.query('UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE scope = $1 AND key = $2', [
      scope,
      key,
      statusCode,
      JSON.stringify(response ?? null),
    ]);
  }

  /** Forgets a reservation whose request failed for a reason worth retrying (a server fault). */
  async release(scope: string, key: string): Promise<void> {
    await this.db.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status_code IS NULL', [scope, key]);
  }
}
