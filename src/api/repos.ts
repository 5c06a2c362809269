import type { workspace } from '@databricks/sdk-experimental';
import { z } from 'zod';
import { Id, OptionalText, RequiredText } from './common.js';
import { MAX_PATH_LENGTH, textUpTo } from './limits.js';

/** Repos API (`/api/2.0/repos`): git clones in the workspace tree. */

export const CreateRepoRequest = z.object({
  url: required(textUpTo(4096)),
  provider: RequiredText,
  path: textUpTo(MAX_PATH_LENGTH).optional(),
  sparse_checkout: z.unknown().optional(),
});
export const UpdateRepoRequest = z.object({
  branch: OptionalText,
  tag: OptionalText,
  sparse_checkout: z.unknown().optional(),
});
export const ListReposRequest = z.object({ path_prefix: OptionalText, next_page_token: OptionalText });
export const RepoIdRequest = z.object({ repo_id: Id });

function required<T extends z.ZodType<string>>(inner: T) {
  return z.preprocess((v) => (v === '' ? undefined : v), inner);
}

export type RepoInfo = workspace.RepoInfo;
export type ListReposResponse = workspace.ListReposResponse;
