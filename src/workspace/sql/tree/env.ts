import type { SqlType } from '../types.js';

/** A named parameter's value, bound as a typed literal. */
export interface BoundParam {
  type: SqlType;
  /** null = SQL NULL */
  value: string | null;
}

/** What current_catalog(), current_schema() and current_user() answer for this statement. */
export interface SessionValues {
  catalog: string;
  schema: string;
  user: string;
}
