import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { DomainError, ERROR_CODES, type ErrorCode } from '../../../../libs/domain/src';

/** A domain error that crossed Temporal as an ApplicationFailure (type = code) comes back as itself. */
export function fromTemporalError(error: unknown): DomainError | null {
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    if (cause instanceof ApplicationFailure && ERROR_CODES.includes(cause.type as ErrorCode)) {
      return new DomainError(cause.type as ErrorCode, cause.message, cause.details?.[0] ?? null);
    }
  }
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new DomainError(
      'SERVICE_UNAVAILABLE',
      'The case workflow did not answer in time: the change is not known to be applied; ' +
        'retry with the same Idempotency-Key to apply it at most once and learn its outcome',
    );
  }
  return null;
}

export function isWorkflowNotFound(error: unknown): boolean {
  return error instanceof WorkflowNotFoundError;
}
