/**
 * `GET /.well-known/databricks-config`: the public document clients read to find the workspace's
 * id and OIDC endpoint before they hold a token. The SDK has no generated type for it.
 */
export interface WellKnownConfig {
  workspace_id: string;
  account_id: string;
  host: string;
  oidc_endpoint: string;
}
