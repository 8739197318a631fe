import { Column, Entity, PrimaryColumn } from 'typeorm';

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
}
