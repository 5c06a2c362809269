import type { files } from '@databricks/sdk-experimental';
import { z } from 'zod';
import { Flag, Int, OptionalText } from './common.js';

/**
 * Files API 2.0 over Unity Catalog volumes: `/api/2.0/fs/files/Volumes/<c>/<s>/<v>/<path>` and
 * `/api/2.0/fs/directories/Volumes/<c>/<s>/<v>/<path>`. Uploads stream: the body is never read whole.
 */

/** The largest page a directory listing answers (and the default). */
export const MAX_DIRECTORY_PAGE = 1000;

/** PUT on a file: Databricks overwrites when `overwrite` is true or absent. */
export const UploadQuery = z.object({ overwrite: Flag });

export const ListDirectoryRequest = z.object({ page_size: Int, page_token: OptionalText });

export type DirectoryEntry = files.DirectoryEntry;
export type ListDirectoryResponse = files.ListDirectoryResponse;
