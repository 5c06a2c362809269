import { z } from 'zod';
import { MAX_NAME_LENGTH, textUpTo } from './limits.js';

/** The legacy Groups API 2.0 (`/api/2.0/groups/*`, `databricks groups …` in databricks-cli 0.18). */

const name = textUpTo(MAX_NAME_LENGTH).min(1);

/** create, delete, list-members. */
export const GroupNameRequest = z.object({ group_name: name });

/** add-member, remove-member: a user (or service principal) or a group, into `parent_name`. */
export const MembershipRequest = z.object({
  user_name: name.optional(),
  group_name: name.optional(),
  parent_name: name,
});

/** list-parents: of a user (or service principal) or of a group. */
export const ListParentsRequest = z.object({
  user_name: name.optional(),
  group_name: name.optional(),
});

export interface GroupNameResponse {
  group_name: string;
}

export interface GroupNamesResponse {
  group_names?: string[];
}

/** One member as list-members answers it: exactly one of the three names. */
export type MemberEntry = { user_name: string } | { group_name: string } | { service_principal_name: string };

export interface ListMembersResponse {
  members?: MemberEntry[];
}
