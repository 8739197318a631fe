import type { Request } from 'express';

export const ROLES = ['applicant', 'officer', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who calls, from a verified token: `sub` is recorded as the actor, `role` decides what is allowed. */
export interface Principal {
  sub: string;
  role: Role;
  /** Applicants only: the applicant whose cases this user may open and see. */
  applicantId: string | null;
}

/** Roles that see personal data in full on a case (and an applicant on its own case). */
export const FULL_DATA_ROLES: readonly Role[] = ['officer', 'supervisor'];

/** What the authentication guard leaves on the request. */
export interface AuthenticatedRequest extends Request {
  principal?: Principal;
  /** Why the presented token was refused (kept until authorisation decides whether one was needed). */
  authError?: string;
}

/** The role sets the routes use. */
export const STAFF: Role[] = ['officer', 'supervisor'];
export const APPLICANT_AND_STAFF: Role[] = ['applicant', 'officer', 'supervisor'];
