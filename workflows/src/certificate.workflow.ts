/**
 * Obtaining the representative-office certificate from the Administration for Industry and
 * Commerce: a child of the case workflow, with its own steps (applied, issued). The case waits
 * on its result; an amendment or a withdrawal abandons it.
 */
import { condition, setHandler } from '@temporalio/workflow';
import {
  abandonCertificateSignal,
  aicApplicationSubmittedSignal,
  certificateIssuedSignal,
  getCertificateProgressQuery,
  type CertificateProgress,
  type CertificateWorkflowInput,
  type CertificateWorkflowResult,
} from '../../libs/contracts/src';

export async function certificateWorkflow(_input: CertificateWorkflowInput): Promise<CertificateWorkflowResult> {
  const progress: CertificateProgress = { step: 'NOT_APPLIED', application: null, certificate: null };
  setHandler(getCertificateProgressQuery, () => progress);
  setHandler(aicApplicationSubmittedSignal, (application) => {
    if (progress.step === 'NOT_APPLIED') Object.assign(progress, { step: 'APPLIED', application });
  });
  setHandler(certificateIssuedSignal, (certificate) => {
    if (progress.step !== 'ABANDONED') Object.assign(progress, { step: 'ISSUED', certificate });
  });
  setHandler(abandonCertificateSignal, () => {
    if (progress.step !== 'ISSUED') progress.step = 'ABANDONED';
  });

  await condition(() => progress.step === 'ISSUED' || progress.step === 'ABANDONED');
  if (progress.step === 'ABANDONED' || !progress.certificate) return { outcome: 'ABANDONED' };
  return { outcome: 'ISSUED', certificate: progress.certificate, application: progress.application };
}
