import type { AuthChecker } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { IdentityErrors } from './identity.errors.js';

/**
 * The one role check for @Authorized: no roles listed means any signed-in viewer. The public gets
 * UNAUTHENTICATED, a signed-in viewer without the role FORBIDDEN. Tenant checks live in services.
 */
export const authChecker: AuthChecker<Context> = ({ context }, roles) => {
  const { viewer } = context;
  if (viewer.kind === 'anonymous') throw IdentityErrors.signInRequired();
  if (roles.length > 0 && !roles.includes(viewer.role)) throw IdentityErrors.roleRequired(roles);
  return true;
};
