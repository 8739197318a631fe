import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The audit trail: one row per transition, keyed by case and the workflow's sequence number. */
@Entity({ name: 'case_events' })
export class CaseEventEntity {
  @PrimaryColumn('uuid', { name: 'case_id' })
  caseId: string;

  @PrimaryColumn('integer')
  seq: number;

  @Column('timestamptz')
  at: Date;

  @Column('text')
  actor: string;

  @Column('text')
  type: string;

  @Column('text', { name: 'from_stage', nullable: true })
  fromStage: string | null;

  @Column('text', { name: 'to_stage' })
  toStage: string;

  @Column('jsonb')
  data: Record<string, unknown>;

  /** When the projection wrote the row (the database's clock; NULL for rows older than the column). */
  @Index('case_events_projected_at_idx')
  @Column({ type: 'timestamptz', name: 'projected_at', nullable: true, default: () => 'clock_timestamp()', insert: false, update: false })
  projectedAt: Date | null;
}
