import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CaseView } from '../../../contracts/src';

/** The officers' read model of one case: written only by the workflow's projection activity. */
@Entity({ name: 'cases' })
@Index('cases_stage_created_idx', ['stage', 'createdAt', 'id'])
@Index('cases_province_created_idx', ['submissionProvince', 'createdAt', 'id'])
@Index('cases_assignee_created_idx', ['assignee', 'createdAt', 'id'])
@Index('cases_created_idx', ['createdAt', 'id'])
@Index('cases_entity_stage_idx', ['entityKey', 'stage'])
export class CaseEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { unique: true })
  reference: string;

  @Column('text')
  stage: string;

  /** The workflow's version of the case: a projection only ever moves forward. */
  @Column('integer')
  version: number;

  @Column('text', { name: 'submission_province' })
  submissionProvince: string;

  @Column('text', { name: 'applicant_name' })
  applicantName: string;

  @Column('text', { name: 'entity_key' })
  entityKey: string;

  @Column('text', { nullable: true })
  assignee: string | null;

  @Column('text', { name: 'icp_number', nullable: true })
  icpNumber: string | null;

  /** Name, domains, reference and ICP number, lower-cased, for `q`. Its GIN trigram index is made by the migration. */
  @Index('cases_search_trgm_idx', { synchronize: false })
  @Column('text', { name: 'search_text' })
  searchText: string;

  /** The earliest open deadline (SMS, review, PSB filing): `overdue=true` is `next_deadline_at < now()`. */
  @Index('cases_next_deadline_idx')
  @Column('timestamptz', { name: 'next_deadline_at', nullable: true })
  nextDeadlineAt: Date | null;

  /** Each running deadline, as columns for the reminder sweep (the view has them all). Partial indexes by the migration. */
  @Column('timestamptz', { name: 'sms_verification_due', nullable: true })
  smsVerificationDue: Date | null;

  @Column('timestamptz', { name: 'review_due', nullable: true })
  reviewDue: Date | null;

  @Column('date', { name: 'psb_filing_due', nullable: true })
  psbFilingDue: string | null;

  @Index('cases_instance_expiry_idx', { synchronize: false })
  @Column('date', { name: 'instance_expires_on', nullable: true })
  instanceExpiresOn: string | null;

  @Index('cases_certificate_expiry_idx', { synchronize: false })
  @Column('date', { name: 'certificate_expires_on', nullable: true })
  certificateExpiresOn: string | null;

  /** The whole case as the API answers it. */
  @Column('jsonb')
  view: CaseView;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
