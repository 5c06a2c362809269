import { MARKER } from './fixtures.js';
import { adminsOnly, everyone, exactly, from, q, type MatrixEntry } from './types.js';

/**
 * Identities: every user reads the directory (SCIM, legacy groups) and itself (`/Me`); only admins
 * change it. Tokens: one's own through the Token API (another's token, even an admin's view of
 * it, is not found there), everyone's through Token Management, for admins. Rule sets of service
 * principals: read by every user, changed by admins (and service principal managers, none here).
 */
const SCIM = 'preview/scim/v2';
const patch = (op: unknown) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [op] });
const ruleSet = (app: string) => `accounts/local/servicePrincipals/${app}/ruleSets/default`;

export const scim: MatrixEntry[] = [
  { route: `GET ${SCIM}/Me`, on: 'the caller', request: () => ({ path: `${SCIM}/Me` }), expect: everyone },
  { route: `GET ${SCIM}/Users`, on: 'the directory', request: () => ({ path: `${SCIM}/Users` }), expect: everyone },
  { route: `GET ${SCIM}/Users/:id`, on: 'a user', request: (fx) => ({ path: `${SCIM}/Users/${fx.ids.target}` }), expect: everyone },
  { route: `POST ${SCIM}/Users`, on: 'a new user', request: (fx, role) => ({ path: `${SCIM}/Users`, body: { userName: `new-${role}-${fx.next()}@example.com` } }), expect: adminsOnly },
  { route: `PUT ${SCIM}/Users/:id`, on: 'a fresh user', request: async (fx) => { const u = await fx.fresh.user(); return { path: `${SCIM}/Users/${u.id}`, body: { userName: u.name, displayName: 'Renamed' } }; }, expect: adminsOnly },
  { route: `PATCH ${SCIM}/Users/:id`, on: 'a user', request: (fx) => ({ path: `${SCIM}/Users/${fx.ids.target}`, body: patch({ op: 'replace', path: 'displayName', value: 'Target' }) }), expect: adminsOnly },
  { route: `DELETE ${SCIM}/Users/:id`, on: 'a fresh user', request: async (fx) => ({ path: `${SCIM}/Users/${(await fx.fresh.user()).id}` }), expect: adminsOnly },
  { route: `GET ${SCIM}/Groups`, on: 'the directory', request: () => ({ path: `${SCIM}/Groups` }), expect: everyone },
  { route: `GET ${SCIM}/Groups/:id`, on: 'a group', request: (fx) => ({ path: `${SCIM}/Groups/${fx.ids.targetGroup}` }), expect: everyone },
  { route: `POST ${SCIM}/Groups`, on: 'a new group', request: (fx, role) => ({ path: `${SCIM}/Groups`, body: { displayName: `new-${role}-${fx.next()}` } }), expect: adminsOnly },
  { route: `PUT ${SCIM}/Groups/:id`, on: 'a fresh group', request: async (fx) => { const g = await fx.fresh.group(); return { path: `${SCIM}/Groups/${g.id}`, body: { displayName: g.name } }; }, expect: adminsOnly },
  { route: `PATCH ${SCIM}/Groups/:id`, on: 'a group', request: (fx) => ({ path: `${SCIM}/Groups/${fx.ids.targetGroup}`, body: patch({ op: 'add', path: 'members', value: [{ value: fx.ids.target }] }) }), expect: adminsOnly },
  { route: `DELETE ${SCIM}/Groups/:id`, on: 'a fresh group', request: async (fx) => ({ path: `${SCIM}/Groups/${(await fx.fresh.group()).id}` }), expect: adminsOnly },
  { route: `GET ${SCIM}/ServicePrincipals`, on: 'the directory', request: () => ({ path: `${SCIM}/ServicePrincipals` }), expect: everyone },
  { route: `GET ${SCIM}/ServicePrincipals/:id`, on: 'a service principal', request: (fx) => ({ path: `${SCIM}/ServicePrincipals/${fx.ids.sp}` }), expect: everyone },
  { route: `POST ${SCIM}/ServicePrincipals`, on: 'a new service principal', request: (fx, role) => ({ path: `${SCIM}/ServicePrincipals`, body: { displayName: `new-${role}` } }), expect: adminsOnly },
  { route: `PUT ${SCIM}/ServicePrincipals/:id`, on: 'a fresh service principal', request: async (fx) => ({ path: `${SCIM}/ServicePrincipals/${await fx.fresh.servicePrincipal()}`, body: { displayName: 'renamed' } }), expect: adminsOnly },
  { route: `PATCH ${SCIM}/ServicePrincipals/:id`, on: 'a service principal', request: (fx) => ({ path: `${SCIM}/ServicePrincipals/${fx.ids.sp}`, body: patch({ op: 'replace', path: 'active', value: true }) }), expect: adminsOnly },
  { route: `DELETE ${SCIM}/ServicePrincipals/:id`, on: 'a fresh service principal', request: async (fx) => ({ path: `${SCIM}/ServicePrincipals/${await fx.fresh.servicePrincipal()}` }), expect: adminsOnly },
  { route: 'GET groups/list', on: 'the directory', request: () => ({ path: 'groups/list' }), expect: everyone },
  { route: 'GET groups/list-members', on: 'a group', request: () => ({ path: `groups/list-members${q({ group_name: 'runners' })}` }), expect: everyone },
  { route: 'GET groups/list-parents', on: 'a user', request: (fx) => ({ path: `groups/list-parents${q({ user_name: fx.name.runner })}` }), expect: everyone },
  { route: 'POST groups/create', on: 'a new group', request: (fx, role) => ({ path: 'groups/create', body: { group_name: `legacy-${role}-${fx.next()}` } }), expect: adminsOnly },
  { route: 'POST groups/add-member', on: 'a group', request: (fx) => ({ path: 'groups/add-member', body: { parent_name: fx.ids.targetGroupName, user_name: fx.name.admin } }), expect: adminsOnly },
  {
    route: 'POST groups/remove-member',
    on: 'a fresh group with the admin in it',
    request: async (fx) => {
      const g = await fx.fresh.group();
      await fx.as('admin', '/api/2.0/groups/add-member', { method: 'POST', json: { parent_name: g.name, user_name: fx.name.admin } });
      return { path: 'groups/remove-member', body: { parent_name: g.name, user_name: fx.name.admin } };
    },
    expect: adminsOnly,
  },
  { route: 'POST groups/delete', on: 'a fresh group', request: async (fx) => ({ path: 'groups/delete', body: { group_name: (await fx.fresh.group()).name } }), expect: adminsOnly },
];

export const tokens: MatrixEntry[] = [
  { route: 'POST token/create', on: 'a token of the caller', request: () => ({ path: 'token/create', body: { comment: 'mine', lifetime_seconds: 600 } }), expect: everyone },
  { route: 'GET token/list', on: "the caller's tokens", request: () => ({ path: 'token/list' }), expect: everyone, shows: { marker: () => `token${MARKER}`, to: ['owner'] } },
  { route: 'POST token/delete', on: 'a fresh token of the owner', request: async (fx) => ({ path: 'token/delete', body: { token_id: await fx.fresh.ownerToken() } }), expect: exactly({ owner: 'ok' }, 'hidden') },
  { route: 'POST token-management/on-behalf-of/tokens', on: 'a service principal', request: (fx) => ({ path: 'token-management/on-behalf-of/tokens', body: { application_id: fx.ids.spApp, lifetime_seconds: 600 } }), expect: adminsOnly },
  { route: 'GET token-management/tokens', on: "everyone's tokens", request: () => ({ path: 'token-management/tokens' }), expect: adminsOnly },
  { route: 'GET token-management/tokens/:token_id', on: 'a token of the owner', request: async (fx) => ({ path: `token-management/tokens/${await fx.fresh.ownerToken()}` }), expect: adminsOnly },
  { route: 'DELETE token-management/tokens/:token_id', on: 'a fresh token of the owner', request: async (fx) => ({ path: `token-management/tokens/${await fx.fresh.ownerToken()}` }), expect: adminsOnly },
];

export const accessControl: MatrixEntry[] = [
  { route: 'GET preview/accounts/access-control/rule-sets', on: 'the rule set of a service principal', request: (fx) => ({ path: `preview/accounts/access-control/rule-sets${q({ name: ruleSet(fx.ids.spApp), etag: '' })}` }), expect: everyone },
  {
    route: 'PUT preview/accounts/access-control/rule-sets',
    on: 'the rule set of a service principal (emptied again)',
    request: async (fx) => {
      const name = ruleSet(fx.ids.spApp);
      const etag = String((await fx.as('admin', `/api/2.0/preview/accounts/access-control/rule-sets${q({ name, etag: '' })}`)).body['etag']);
      return { path: 'preview/accounts/access-control/rule-sets', body: { name, rule_set: { name, etag, grant_rules: [] } } };
    },
    expect: adminsOnly,
  },
];

/** Secret scopes: every scope name is listed to everyone; READ reads, WRITE (the runner) writes, MANAGE (the owner) deletes and grants. */
export const secrets: MatrixEntry[] = [
  { route: 'POST secrets/scopes/create', on: 'a scope of the caller', request: (fx, role) => ({ path: 'secrets/scopes/create', body: { scope: `new-${role}-${fx.next()}` } }), expect: everyone },
  { route: 'GET secrets/scopes/list', on: "the owner's scope", request: () => ({ path: 'secrets/scopes/list' }), expect: everyone, shows: { marker: (fx) => fx.scope, to: ['stranger', 'reader', 'runner', 'owner', 'admin'] } },
  { route: 'POST secrets/scopes/delete', on: 'a fresh scope of the owner', request: async (fx) => ({ path: 'secrets/scopes/delete', body: { scope: await fx.fresh.scope() } }), expect: from('owner') },
  { route: 'POST secrets/put', on: "the owner's scope", request: (fx) => ({ path: 'secrets/put', body: { scope: fx.scope, key: 'k', string_value: `secret${MARKER}` } }), expect: from('runner') },
  { route: 'POST secrets/delete', on: "a fresh secret in the owner's scope", request: async (fx) => ({ path: 'secrets/delete', body: { scope: fx.scope, key: await fx.fresh.secret() } }), expect: from('runner') },
  { route: 'GET secrets/list', on: "the owner's scope", request: (fx) => ({ path: `secrets/list${q({ scope: fx.scope })}` }), expect: from('reader') },
  { route: 'GET secrets/get', on: "a secret in the owner's scope", request: (fx) => ({ path: `secrets/get${q({ scope: fx.scope, key: 'k' })}` }), expect: from('reader') },
  { route: 'POST secrets/acls/put', on: "the owner's scope (the reader's READ again)", request: (fx) => ({ path: 'secrets/acls/put', body: { scope: fx.scope, principal: fx.name.reader, permission: 'READ' } }), expect: from('owner') },
  {
    route: 'POST secrets/acls/delete',
    on: "a fresh ACL on the owner's scope",
    request: async (fx) => {
      const user = await fx.fresh.user();
      await fx.as('owner', '/api/2.0/secrets/acls/put', { method: 'POST', json: { scope: fx.scope, principal: user.name, permission: 'READ' } });
      return { path: 'secrets/acls/delete', body: { scope: fx.scope, principal: user.name } };
    },
    expect: from('owner'),
  },
  { route: 'GET secrets/acls/list', on: "the owner's scope", request: (fx) => ({ path: `secrets/acls/list${q({ scope: fx.scope })}` }), expect: from('owner') },
  { route: 'GET secrets/acls/get', on: "the owner's scope", request: (fx) => ({ path: `secrets/acls/get${q({ scope: fx.scope, principal: fx.name.reader })}` }), expect: from('owner') },
];

/** The local cluster, its events and its catalogues: every user may attach to it. */
export const clusters: MatrixEntry[] = [
  { route: 'GET clusters/list', on: 'the local cluster', request: () => ({ path: 'clusters/list' }), expect: everyone },
  { route: 'GET clusters/get', on: 'the local cluster', request: (fx) => ({ path: `clusters/get${q({ cluster_id: fx.ids.cluster })}` }), expect: everyone },
  { route: 'GET clusters/spark-versions', on: 'the runtime catalogue', request: () => ({ path: 'clusters/spark-versions' }), expect: everyone },
  { route: 'GET clusters/list-node-types', on: 'the node type catalogue', request: () => ({ path: 'clusters/list-node-types' }), expect: everyone },
  { route: 'POST clusters/events', on: 'the local cluster', request: (fx) => ({ path: 'clusters/events', body: { cluster_id: fx.ids.cluster } }), expect: everyone },
];
