import type { settings } from '@databricks/sdk-experimental';
import { z } from 'zod';
import { Id, OptionalComment, OptionalName, OptionalText, RequiredText } from './common.js';

/** Token API (`/api/2.0/token/*`, a principal's own PATs) and Token Management API (`/api/2.0/token-management/*`). */

const lifetimeSeconds = z.coerce.number().int().min(0, 'must be 0 (no expiry) or a positive number of seconds').optional();

export const CreateTokenRequest = z.object({
  lifetime_seconds: lifetimeSeconds,
  comment: OptionalComment,
});

export const DeleteTokenRequest = z.object({ token_id: RequiredText });

/**
 * On-behalf-of tokens. Databricks mints them for service principals (`application_id`); Brickyard
 * also accepts `user_name` so a local admin can hand a user a token (there is no browser login here).
 */
export const CreateOboTokenRequest = z.object({
  application_id: OptionalName,
  user_name: OptionalName,
  lifetime_seconds: lifetimeSeconds,
  comment: OptionalComment,
});
export type CreateOboTokenRequest = z.infer<typeof CreateOboTokenRequest>;

export const ListTokensRequest = z.object({
  created_by_id: Id,
  created_by_username: OptionalText,
});

export type PublicTokenInfo = settings.PublicTokenInfo;
export type TokenInfo = settings.TokenInfo;
export type CreateTokenResponse = settings.CreateTokenResponse;
export type ListPublicTokensResponse = settings.ListPublicTokensResponse;
export type CreateOboTokenResponse = settings.CreateOboTokenResponse;
export type ListTokensResponse = settings.ListTokensResponse;
export type GetTokenResponse = settings.GetTokenResponse;
