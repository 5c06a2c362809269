/** The template `brickyard init` uses without --template; alone here so that the CLI's declaration needs no template loading. */
export const DEFAULT_TEMPLATE = 'default';
