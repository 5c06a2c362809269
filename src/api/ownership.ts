/**
 * The tags brickyard writes on every job it manages: which project and target own it, under which
 * resource key, and the hash of what was deployed. Deploy uses them to find its jobs; the web UI
 * shows them as "managed by".
 */
export const TAG_PROJECT = 'brickyard-project';
export const TAG_RESOURCE = 'brickyard-resource';
export const TAG_HASH = 'brickyard-hash';
/**
 * `lifecycle.prevent_destroy: true`, carried on the job so that it still protects the job once its
 * configuration is gone (deploy's pruning reads it from jobs/list); written only when set.
 */
export const TAG_PREVENT_DESTROY = 'brickyard-prevent-destroy';
export const OWN_TAGS = [TAG_PROJECT, TAG_RESOURCE, TAG_HASH, TAG_PREVENT_DESTROY] as const;
