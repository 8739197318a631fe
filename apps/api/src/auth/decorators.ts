import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { AuthenticatedRequest, Principal, Role } from './principal';

export const ROLES_KEY = 'icp:roles';
export const PUBLIC_KEY = 'icp:public';
export const OWN_CASE_KEY = 'icp:own-case';
export const FULL_PERSONAL_DATA_KEY = 'icp:full-personal-data';

/**
 * The roles that may call a route. A route without this metadata (and not @Public) is refused
 * to everyone: access is denied unless granted.
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiBearerAuth(BEARER_SCHEME), ApiExtension('x-roles', roles));

/** The OpenAPI security scheme every protected operation names. */
export const BEARER_SCHEME = 'bearer';

/** No token needed (health probes). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-public', true));

/**
 * The route acts on the case in the `:id` parameter: an applicant may only reach its own cases,
 * and any other case answers 404 CASE_NOT_FOUND, as if it did not exist.
 */
export const OwnCase = () => SetMetadata(OWN_CASE_KEY, true);

/** The route answers the case itself: ID and mobile numbers in full to officers and the owner. */
export const FullPersonalData = () => SetMetadata(FULL_PERSONAL_DATA_KEY, true);

/** The verified caller. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  // The authorisation guard lets no request without a principal reach a non-public route.
  if (!principal) throw new Error('CurrentUser used on a route without authentication');
  return principal;
});
