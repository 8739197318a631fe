import {
  caseActions,
  lifecycleOver,
  type Action,
  type CaseState,
  type Deadlines,
  type Finding,
  type Hosting,
  type Applicant,
  type Website,
  type FilingType,
  type Stage,
} from '../../domain/src';

/** A case as the API answers it (API.md, "The case"). Fields may be added, never renamed. */
export interface CaseView {
  id: string;
  reference: string;
  stage: Stage;
  version: number;
  filingType: FilingType;
  submissionProvince: string;
  applicant: Applicant;
  websites: Website[];
  hosting: Hosting;
  findings: Finding[];
  icpNumber: string | null;
  deadlines: Deadlines;
  /** The day the site went live (API.md, 2026-11-30): set when resolution is verified; the PSB filing counts from it. */
  liveAt: string | null;
  assignee: string | null;
  createdAt: string;
  updatedAt: string;
  /** Additions to the contract: what can be done next, and the lifecycle's own records. */
  allowedActions: Action[];
  returnReasons: string[];
  certificateApplication: CaseState['certificateApplication'];
  psbFiling: CaseState['psbFiling'];
  withdrawal: CaseState['withdrawal'];
  /** The current document of each slot and its review status (the documents endpoint has the rest). */
  documents: CaseState['documents'];
}

/** `closed`: the workflow has ended (by default: when the lifecycle is over), so no action is offered. */
export function toCaseView(state: CaseState, closed = lifecycleOver(state.stage, Boolean(state.psbFiling))): CaseView {
  return {
    id: state.caseId,
    reference: state.reference,
    stage: state.stage,
    version: state.version,
    filingType: state.facts.filingType,
    submissionProvince: state.facts.submissionProvince,
    applicant: state.facts.applicant,
    websites: state.facts.websites,
    hosting: state.facts.hosting,
    findings: state.findings,
    icpNumber: state.icpNumber,
    deadlines: state.deadlines,
    liveAt: state.liveAt ?? null,
    assignee: state.assignee,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    allowedActions: closed ? [] : caseActions(state),
    returnReasons: state.returnReasons,
    certificateApplication: state.certificateApplication,
    psbFiling: state.psbFiling,
    withdrawal: state.withdrawal,
    documents: state.documents,
  };
}
