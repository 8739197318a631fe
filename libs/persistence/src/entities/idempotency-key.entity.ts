import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A remembered answer to a state-changing request sent with an `Idempotency-Key`. */
@Entity({ name: 'idempotency_keys' })
@Index('idempotency_keys_created_at_idx', ['createdAt'])
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

  /** Stable per key: the case id of a creation, the Temporal update id of a transition, the document id of an upload. */
  @Column('uuid', { name: 'operation_id' })
  operationId: string;

  /** Values a retry must re-send unchanged (a creation's reference). */
  @Column('jsonb', { default: () => "'{}'" })
  remembered: Record<string, unknown>;

  /** Until then the request that holds the key is answering it; afterwards a retry takes it over. */
  @Column('timestamptz', { name: 'leased_until', default: () => 'now()' })
  leasedUntil: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
