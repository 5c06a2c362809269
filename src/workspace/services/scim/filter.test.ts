import { describe, expect, it } from 'vitest';
import { SCIM_SCHEMAS } from '../../../api/scim.js';
import { ApiError } from '../../../core/errors.js';
import { matchesFilter, parseFilter } from './filter.js';
import { project } from './list.js';
import { parsePatchPath } from './patch.js';

const alice = {
  id: '113',
  userName: 'Alice@Example.com',
  displayName: 'Alice B',
  active: true,
  emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
  name: { givenName: 'Alice', familyName: 'B' },
  groups: [{ value: '7', display: 'data', type: 'direct' }],
};

const matches = (filter: string) => matchesFilter(alice, parseFilter(filter));

describe('SCIM filters', () => {
  it('compares strings case-insensitively', () => {
    expect(matches('userName eq "alice@example.com"')).toBe(true);
    expect(matches('USERNAME EQ "ALICE@EXAMPLE.COM"')).toBe(true);
    expect(matches('userName eq "bob@example.com"')).toBe(false);
    expect(matches('displayName co "ce b"')).toBe(true);
    expect(matches('displayName sw "ali"')).toBe(true);
    expect(matches('displayName ew "b"')).toBe(true);
    expect(matches('userName ne "bob@example.com"')).toBe(true);
  });

  it('handles ids, booleans, presence, sub-attributes and value paths', () => {
    expect(matches('id eq "113"')).toBe(true);
    expect(matches('id eq 113')).toBe(true);
    expect(matches('active eq true')).toBe(true);
    expect(matches('externalId pr')).toBe(false);
    expect(matches('name.givenName eq "alice"')).toBe(true);
    expect(matches('emails.value eq "alice@example.com"')).toBe(true);
    expect(matches('emails eq "alice@example.com"')).toBe(true);
    expect(matches('emails[type eq "work" and primary eq true]')).toBe(true);
    expect(matches('groups[display eq "other"]')).toBe(false);
    expect(matches('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "alice@example.com"')).toBe(true);
  });

  it('combines with and/or/not and parentheses', () => {
    expect(matches('userName eq "x" or displayName sw "alice"')).toBe(true);
    expect(matches('userName eq "x" or displayName sw "alice" and active eq false')).toBe(false);
    expect(matches('(userName eq "x" or displayName sw "alice") and active eq true')).toBe(true);
    expect(matches('not (active eq true)')).toBe(false);
  });

  it('reads unquoted values as strings, as Databricks does', () => {
    expect(parseFilter('displayName eq admins')).toEqual({ kind: 'compare', path: ['displayName'], op: 'eq', value: 'admins' });
    expect(matches('userName eq alice@example.com')).toBe(true);
    expect(matches('userName eq alice@example.com and displayName sw Alice')).toBe(true);
    expect(matches('userName eq bob@example.com or active eq false')).toBe(false);
  });

  it('refuses malformed filters with invalidFilter', () => {
    for (const bad of ['userName', 'userName eqq "x"', 'userName eq', 'userName eq "x', '(userName eq "x"', 'userName eq "x" junk', 'userName eq (', 'userName eq a b', '']) {
      expect(() => parseFilter(bad), bad).toThrow(ApiError);
    }
  });
});

describe('attribute projection', () => {
  it('keeps requested attributes plus id and schemas', () => {
    expect(project({ ...alice, schemas: [SCIM_SCHEMAS.user] }, 'userName,name.givenName', undefined)).toEqual({ schemas: [SCIM_SCHEMAS.user], id: '113', userName: 'Alice@Example.com', name: { givenName: 'Alice' } });
    expect(project(alice, undefined, 'emails,name.familyName,id')).toEqual({
      id: '113', userName: 'Alice@Example.com', displayName: 'Alice B', active: true, name: { givenName: 'Alice' }, groups: alice.groups,
    });
  });
});

describe('PATCH paths', () => {
  it('parses attributes, sub-attributes, URN prefixes and value filters', () => {
    expect(parsePatchPath('displayName')).toEqual({ attr: 'displayname', filter: undefined, sub: undefined });
    expect(parsePatchPath('name.givenName')).toMatchObject({ attr: 'name', sub: 'givenname' });
    expect(parsePatchPath('urn:ietf:params:scim:schemas:core:2.0:User:active')).toMatchObject({ attr: 'active' });
    const withFilter = parsePatchPath('members[value eq "123"]');
    expect(withFilter.attr).toBe('members');
    expect(matchesFilter({ value: '123' }, withFilter.filter!)).toBe(true);
    expect(() => parsePatchPath('members[value eq "1"')).toThrow(ApiError);
    expect(() => parsePatchPath('bad path')).toThrow(ApiError);
  });
});
