import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { idsFromRefs, type Directory, type PrincipalKind, type StoredAttrs } from './directory.js';
import { checkEntitlements, normalizeEmails, type Draft } from './draft.js';
import { scimErrors } from './errors.js';
import { GroupRequest, ServicePrincipalRequest, UserRequest, type ComplexValue } from '../../../api/scim.js';

/** What a create request turns into before it is written. */
export interface NewPrincipal {
  kind: PrincipalKind;
  name: string;
  displayName: string | null;
  externalId: string | null;
  active: boolean;
  attrs: StoredAttrs;
  parentIds: number[];
  memberIds: number[];
}

/** Per-kind rules for the generic SCIM resource routes. */
export interface KindSpec<S extends z.ZodType> {
  kind: PrincipalKind;
  /** The collection's path and the path of one resource in it. */
  listPath: string;
  itemPath: string;
  /** label in messages */
  plural: string;
  bodySchema: S;
  fromCreate(body: z.infer<S>, dir: Directory): NewPrincipal;
  /** PUT: a full replacement of the attributes; memberships change only when the request sends them. */
  fromPut(before: Draft, body: z.infer<S>, dir: Directory): Draft;
}

function roleValues(roles: ComplexValue[] | undefined): ComplexValue[] | undefined {
  return roles?.filter((r) => r.value).map((r) => ({ value: r.value! }));
}

function attrsWith(base: StoredAttrs, extra: { entitlements?: ComplexValue[] | undefined; roles?: ComplexValue[] | undefined }): StoredAttrs {
  const out: StoredAttrs = { ...base };
  delete out.entitlements;
  delete out.roles;
  const entitlements = checkEntitlements(extra.entitlements);
  const roles = roleValues(extra.roles);
  if (entitlements && entitlements.length > 0) out.entitlements = entitlements;
  if (roles && roles.length > 0) out.roles = roles;
  return out;
}

function assertImmutable(label: string, sent: string | undefined, current: string): void {
  if (sent !== undefined && sent.toLowerCase() !== current.toLowerCase()) {
    throw scimErrors.badRequest(`${label} cannot be changed (it is ${current}).`, 'mutability');
  }
}

export const userSpec: KindSpec<typeof UserRequest> = {
  kind: 'user',
  listPath: '/api/2.0/preview/scim/v2/Users',
  itemPath: '/api/2.0/preview/scim/v2/Users/:id',
  plural: 'users',
  bodySchema: UserRequest,
  fromCreate(body: UserRequest, dir) {
    const userName = body.userName?.trim();
    if (!userName) throw scimErrors.badRequest('userName is required.');
    const attrs: StoredAttrs = { emails: normalizeEmails(body.emails, userName) };
    if (body.name && Object.keys(body.name).length > 0) attrs.name = body.name;
    return {
      kind: 'user',
      name: userName,
      displayName: body.displayName ?? userName,
      externalId: body.externalId ?? null,
      active: body.active ?? true,
      attrs: attrsWith(attrs, body),
      parentIds: idsFromRefs(dir, body.groups, 'groups'),
      memberIds: [],
    };
  },
  fromPut(before, body: UserRequest, dir) {
    assertImmutable('userName', body.userName, before.name);
    const attrs: StoredAttrs = { ...before.attrs };
    delete attrs.name;
    if (body.name && Object.keys(body.name).length > 0) attrs.name = body.name;
    return {
      ...before,
      displayName: body.displayName ?? null,
      externalId: body.externalId ?? null,
      active: body.active ?? true,
      attrs: attrsWith(attrs, body),
      parentIds: body.groups ? idsFromRefs(dir, body.groups, 'groups') : before.parentIds,
    };
  },
};

export const groupSpec: KindSpec<typeof GroupRequest> = {
  kind: 'group',
  listPath: '/api/2.0/preview/scim/v2/Groups',
  itemPath: '/api/2.0/preview/scim/v2/Groups/:id',
  plural: 'groups',
  bodySchema: GroupRequest,
  fromCreate(body: GroupRequest, dir) {
    const displayName = body.displayName?.trim();
    if (!displayName) throw scimErrors.badRequest('displayName is required.');
    return {
      kind: 'group',
      name: displayName,
      displayName,
      externalId: body.externalId ?? null,
      active: true,
      attrs: attrsWith({}, body),
      parentIds: idsFromRefs(dir, body.groups, 'groups'),
      memberIds: idsFromRefs(dir, body.members, 'members'),
    };
  },
  fromPut(before, body: GroupRequest, dir) {
    const displayName = body.displayName?.trim() ?? before.name;
    return {
      ...before,
      name: displayName,
      displayName,
      externalId: body.externalId ?? null,
      attrs: attrsWith(before.attrs, body),
      parentIds: body.groups ? idsFromRefs(dir, body.groups, 'groups') : before.parentIds,
      memberIds: body.members ? idsFromRefs(dir, body.members, 'members') : before.memberIds,
    };
  },
};

export const servicePrincipalSpec: KindSpec<typeof ServicePrincipalRequest> = {
  kind: 'service_principal',
  listPath: '/api/2.0/preview/scim/v2/ServicePrincipals',
  itemPath: '/api/2.0/preview/scim/v2/ServicePrincipals/:id',
  plural: 'service principals',
  bodySchema: ServicePrincipalRequest,
  fromCreate(body: ServicePrincipalRequest, dir) {
    const applicationId = body.applicationId?.trim() || randomUUID();
    return {
      kind: 'service_principal',
      name: applicationId,
      displayName: body.displayName ?? null,
      externalId: body.externalId ?? null,
      active: body.active ?? true,
      attrs: attrsWith({}, body),
      parentIds: idsFromRefs(dir, body.groups, 'groups'),
      memberIds: [],
    };
  },
  fromPut(before, body: ServicePrincipalRequest, dir) {
    assertImmutable('applicationId', body.applicationId, before.name);
    return {
      ...before,
      displayName: body.displayName ?? null,
      externalId: body.externalId ?? null,
      active: body.active ?? true,
      attrs: attrsWith(before.attrs, body),
      parentIds: body.groups ? idsFromRefs(dir, body.groups, 'groups') : before.parentIds,
    };
  },
};
