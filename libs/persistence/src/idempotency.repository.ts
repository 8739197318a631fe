import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

export type Reservation =
  /** This request holds the key: it carries out `operationId` (again, when `takenOver`). */
  | { state: 'reserved'; operationId: string; remembered: Record<string, unknown>; takenOver: boolean }
  | { state: 'answered'; statusCode: number; response: unknown }
  | { state: 'in-progress'; leasedForMs: number }
  | { state: 'different-request' };

interface KeyRow {
  operation_id: string;
  remembered: Record<string, unknown>;
}

/**
 * Remembers requests sent with an Idempotency-Key: the operation each key stands for (a stable
 * id the retry re-sends, so the workflow start or update it names happens once), and the answer
 * once there is one. Times come from the database clock, so several API processes agree.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Claims the key for this request for `leaseMs`, or tells what an earlier request with it did.
   * A key older than `ttlMs` is forgotten first; a key whose holder let go (a 5xx) or whose lease
   * ran out (the holder died) is taken over with its operation id and remembered values.
   */
  async reserve(scope: string, key: string, requestHash: string, leaseMs: number, ttlMs: number): Promise<Reservation> {
    await this.db.query(
      `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND created_at < now() - $3 * interval '1 millisecond'`,
      [scope, key, ttlMs],
    );
    const inserted: KeyRow[] = await this.db.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, operation_id, leased_until)
       VALUES ($1, $2, $3, $5, now() + $4 * interval '1 millisecond')
       ON CONFLICT (scope, key) DO NOTHING RETURNING operation_id, remembered`,
      [scope, key, requestHash, leaseMs, randomUUID()],
    );
    if (inserted[0]) {
      return { state: 'reserved', operationId: inserted[0].operation_id, remembered: inserted[0].remembered, takenOver: false };
    }
    const [taken]: [KeyRow[], number] = await this.db.query(
      `UPDATE idempotency_keys SET leased_until = now() + $4 * interval '1 millisecond'
        WHERE scope = $1 AND key = $2 AND request_hash = $3 AND status_code IS NULL AND leased_until <= now()
        RETURNING operation_id, remembered`,
      [scope, key, requestHash, leaseMs],
    );
    if (taken[0]) {
      return { state: 'reserved', operationId: taken[0].operation_id, remembered: taken[0].remembered, takenOver: true };
    }
    const [row]: { request_hash: string; status_code: number | null; response: unknown; leased_for_ms: number }[] = await this.db.query(
      `SELECT request_hash, status_code, response,
              greatest(0, extract(epoch FROM leased_until - now()) * 1000)::float8 AS leased_for_ms
         FROM idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    if (!row) return this.reserve(scope, key, requestHash, leaseMs, ttlMs); // purged meanwhile
    if (row.request_hash !== requestHash) return { state: 'different-request' };
    if (row.status_code === null) return { state: 'in-progress', leasedForMs: row.leased_for_ms };
    return { state: 'answered', statusCode: row.status_code, response: row.response };
  }

  /** Keeps a value the retry of this operation must re-send unchanged. */
  async remember(scope: string, key: string, operationId: string, name: string, value: unknown): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_keys SET remembered = remembered || jsonb_build_object($4::text, $5::jsonb)
        WHERE scope = $1 AND key = $2 AND operation_id = $3`,
      [scope, key, operationId, name, JSON.stringify(value)],
    );
  }

  async complete(scope: string, key: string, operationId: string, statusCode: number, response: unknown): Promise<void> {
    await this.db.query(
      'UPDATE idempotency_keys SET status_code = $4, response = $5 WHERE scope = $1 AND key = $2 AND operation_id = $3',
      [scope, key, operationId, statusCode, JSON.stringify(response ?? null)],
    );
  }

  /**
   * The request failed for a reason worth retrying (a 5xx): its effect is unknown, so the key
   * keeps its operation, but the next retry may take it over at once and learn the outcome.
   */
  async letGo(scope: string, key: string, operationId: string): Promise<void> {
    await this.db.query(
      'UPDATE idempotency_keys SET leased_until = now() WHERE scope = $1 AND key = $2 AND operation_id = $3 AND status_code IS NULL',
      [scope, key, operationId],
    );
  }

  /** Forgets keys older than `ttlMs`; answers how many. */
  async purge(ttlMs: number): Promise<number> {
    const [, count]: [unknown, number] = await this.db.query(
      `DELETE FROM idempotency_keys WHERE created_at < now() - $1 * interval '1 millisecond'`,
      [ttlMs],
    );
    return count;
  }
}
