export { caseWorkflow } from './case.workflow';
export { certificateWorkflow } from './certificate.workflow';
