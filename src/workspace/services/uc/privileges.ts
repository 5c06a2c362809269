import { apiErrors } from '../../../core/errors.js';
import { securableLabel } from './names.js';
import { PRIVILEGES, PRIVILEGES_BY_SECURABLE, type Privilege, type SecurableType } from '../../../api/unity-catalog.js';

const known = new Set<string>(PRIVILEGES);

/** 'use catalog' / 'USE CATALOG' / 'use_catalog' → 'USE_CATALOG'; anything else is refused. */
export function normalizePrivilege(text: string): Privilege {
  const candidate = text.trim().replace(/[\s-]+/g, '_').toUpperCase();
  if (known.has(candidate)) return candidate as Privilege;
  throw apiErrors.invalidParameter(
    `Privilege '${text}' is not supported by the local workspace. Supported privileges: ${PRIVILEGES.join(', ')}.`,
  );
}

/** The form Databricks uses in messages: 'USE CATALOG'. */
export function privilegeLabel(p: Privilege): string {
  return p.replace(/_/g, ' ');
}


export function assertApplicable(privilege: Privilege, type: SecurableType): void {
  if (!PRIVILEGES_BY_SECURABLE[type].has(privilege)) {
    throw apiErrors.invalidParameter(`Privilege ${privilege} is not applicable to this entity [${securableLabel(type)}].`);
  }
}

/**
 * Whether a set of held privileges satisfies `wanted`. ALL_PRIVILEGES implies every concrete
 * privilege except MANAGE (as on Databricks, where MANAGE must be granted explicitly).
 */
export function satisfies(held: ReadonlySet<Privilege>, wanted: Privilege): boolean {
  if (held.has(wanted)) return true;
  return wanted !== 'MANAGE' && held.has('ALL_PRIVILEGES');
}
