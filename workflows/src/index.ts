export { caseWorkflow } from './case.workflow';
export { certificateWorkflow } from './certificate.workflow';
export { reminderSweepWorkflow } from './reminder-sweep.workflow';
export { webhookDeliveryWorkflow } from './webhook-delivery.workflow';
export { hostingLookupWorkflow } from './hosting-lookup.workflow';
