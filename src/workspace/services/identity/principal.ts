/** The caller of an API request, resolved from its token. */
export interface Principal {
  id: number;
  kind: 'user' | 'service_principal';
  /** userName for users, applicationId for service principals. */
  name: string;
  displayName: string;
  /** Names of every group the principal belongs to, directly or through nested groups. */
  groups: string[];
  isAdmin: boolean;
  /** The id of the token the request was authenticated with (a run attempt's token may not mint others). */
  tokenId?: string;
}
