import type { Finding, Stage } from './index';

/** Every error code the service can answer with. The HTTP filter maps each one (exhaustively). */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CASE_NOT_FOUND',
  'DOCUMENT_NOT_FOUND',
  'DOCUMENT_SUPERSEDED',
  'NOTIFICATION_NOT_FOUND',
  'WEBHOOK_NOT_FOUND',
  'WEBHOOK_URL_REFUSED',
  'TRANSITION_NOT_ALLOWED',
  'IDEMPOTENCY_KEY_REUSED',
  'VERSION_CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RULE_VIOLATIONS',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class TransitionNotAllowedError extends DomainError {
  constructor(stage: Stage, action: string, allowed: readonly string[]) {
    super('TRANSITION_NOT_ALLOWED', `'${action}' does not apply to a case in ${stage}`, { stage, allowed });
  }
}

export class RuleViolationsError extends DomainError {
  constructor(findings: Finding[], message = 'The filing breaks rules that block this action') {
    super('RULE_VIOLATIONS', message, { findings });
  }
}

export class VersionConflictError extends DomainError {
  constructor(expected: number, actual: number) {
    super('VERSION_CONFLICT', `The case is at version ${actual}, not ${expected}: reload it and amend again`, {
      expected,
      actual,
    });
  }
}

export class ValidationFailedError extends DomainError {
  constructor(details: { field: string; message: string }[], message = 'The request is not valid') {
    super('VALIDATION_FAILED', message, details);
  }
}
