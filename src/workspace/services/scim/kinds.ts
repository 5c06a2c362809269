import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { idsFromRefs, type Directory, type PrincipalKind, type StoredAttrs } from './directory.js';
import { checkEntitlements, normalizeEmails, type Draft } from './draft.js';
import { scimErrors } from './errors.js';
import { groupBodySchema, servicePrincipalBodySchema, userBodySchema, type ComplexValue, type GroupBody, type ServicePrincipalBody, type UserBody } from './schemas.js';

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
  /** URL segment and label: Users, Groups, ServicePrincipals */
  segment: string;
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

export const userSpec: KindSpec<typeof userBodySchema> = {
  kind: 'user',
  segment: 'Users',
  plural: 'users',
  bodySchema: userBodySchema,
  fromCreate(body: UserBody, dir) {
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
  fromPut(before, body: UserBody, dir) {
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

export const groupSpec: KindSpec<typeof groupBodySchema> = {
  kind: 'group',
  segment: 'Groups',
  plural: 'groups',
  bodySchema: groupBodySchema,
  fromCreate(body: GroupBody, dir) {
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
  fromPut(before, body: GroupBody, dir) {
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

export const servicePrincipalSpec: KindSpec<typeof servicePrincipalBodySchema> = {
  kind: 'service_principal',
  segment: 'ServicePrincipals',
  plural: 'service principals',
  bodySchema: servicePrincipalBodySchema,
  fromCreate(body: ServicePrincipalBody, dir) {
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
  fromPut(before, body: ServicePrincipalBody, dir) {
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
