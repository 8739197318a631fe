import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A remembered answer to a state-changing request sent with an `Idempotency-Key`. */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  /** Method and route the key was used on (`POST /v1/cases/:id/submit` with the id filled in). */
  @PrimaryColumn('text')
  scope: string;

  @PrimaryColumn('text')
  key: string;

  /** SHA-256 of the request body: the same key with another body is refused. */
  @Column('text', { name: 'request_hash' })
  requestHash: string;

  /** Null while the first request is still being answered. */
  @Column('integer', { name: 'status_code', nullable: true })
  statusCode: number | null;

  @Column('jsonb', { nullable: true })
  response: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
