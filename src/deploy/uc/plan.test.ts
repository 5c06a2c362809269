import { afterEach, describe, expect, it } from 'vitest';
import { cleanupProjects } from '../../project/__fixtures__/tmp.js';
import { DEPLOYER, line, OWNER, snapshot, ucProject as project } from './__fixtures__/plan-inputs.js';
import { grantMap } from './grants.js';
import { PROP_PROJECT, PROP_RESOURCE, PROP_USER, securableId, type RemoteSecurable } from './model.js';
import { planUc } from './plan.js';

afterEach(cleanupProjects);

const PERSONAL = `bundle: { name: p }
identity: { users_file: users.json }
resources:
  groups:
    students: { display_name: students }
  catalogs:
    course: { name: course }
  user_schemas:
    personal:
      catalog_name: course
      for: all_users
      grants:
        - principal: \${user}
          privileges: [ALL_PRIVILEGES]
`;

function personal(name: string, user: string): RemoteSecurable {
  return { type: 'schema', fullName: `course.${name}`, owner: DEPLOYER, properties: { [PROP_PROJECT]: OWNER, [PROP_RESOURCE]: 'user_schemas.personal', [PROP_USER]: user, 'brickyard.grants': JSON.stringify({ [user]: ['ALL_PRIVILEGES'] }) } };
}

describe('personal schemas', () => {
  const three = [
    { user_name: 'John.Smith@b.com', groups: ['students'] },
    { user_name: 'john.smith@a.com', groups: ['students'] },
    { user_name: 'john_smith@c.com', groups: ['students'] },
  ];

  it('three users whose e-mails normalise to the same name get john_smith, _2, _3 in the order of their e-mails', () => {
    const plan = planUc({ owner: OWNER, uc: project(PERSONAL, three), snapshot: snapshot(), deployer: DEPLOYER });
    const creates = plan.actions.filter((a) => a.op === 'create' && a.type === 'schema').map((a) => `${a.name} ${a.key}`);
    expect(creates).toEqual([
      'course.john_smith_2 user_schemas.personal/john.smith@b.com',
      'course.john_smith user_schemas.personal/john.smith@a.com',
      'course.john_smith_3 user_schemas.personal/john_smith@c.com',
    ]);
  });

  it('removing the first user retires their schema; the others keep their names; nothing else moves', () => {
    const existing = [personal('john_smith', 'john.smith@a.com'), personal('john_smith_2', 'john.smith@b.com'), personal('john_smith_3', 'john_smith@c.com')];
    const catalog: RemoteSecurable = { type: 'catalog', fullName: 'course', owner: DEPLOYER, properties: { [PROP_PROJECT]: OWNER, [PROP_RESOURCE]: 'catalogs.course', 'brickyard.grants': '{}' } };
    const grants = new Map([[securableId('schema', 'course.john_smith'), grantMap([{ principal: 'john.smith@a.com', privileges: ['ALL_PRIVILEGES'] }, { principal: DEPLOYER, privileges: ['MANAGE'] }])]]);
    const snap = snapshot({ catalogs: [catalog], schemas: existing, schemaCatalogs: ['course'], grants });
    const plan = planUc({ owner: OWNER, uc: project(PERSONAL, [three[0], three[2]]), snapshot: snap, deployer: DEPLOYER });
    // users and groups are not in this snapshot, so they are created; the schemas are what matters here
    const schemaActions = plan.actions.filter((a) => a.type === 'schema').map(line);
    expect(schemaActions).toEqual(['skip schema course.john_smith_2', 'skip schema course.john_smith_3', 'revoke schema course.john_smith john.smith@a.com ALL_PRIVILEGES', 'retire schema course.john_smith']);
    const retire = plan.actions.find((a) => a.op === 'retire')!;
    expect(retire.op === 'retire' && retire.body).toEqual({ properties: expect.objectContaining({ 'brickyard.state': 'retired', [PROP_USER]: 'john.smith@a.com' }) });
    // the deployer's MANAGE is never revoked
    expect(schemaActions.join()).not.toContain('MANAGE');

    const purge = planUc({ owner: OWNER, uc: project(PERSONAL, [three[0], three[2]]), snapshot: snap, deployer: DEPLOYER, purgeData: true });
    expect(purge.actions.filter((a) => a.type === 'schema' && a.op !== 'skip').map(line)).toEqual(['purge schema course.john_smith']);
  });

  it('a new user does not take a retired name', () => {
    const retired = { ...personal('john_smith', 'john.smith@a.com'), properties: { ...personal('john_smith', 'john.smith@a.com').properties, 'brickyard.state': 'retired' } };
    const snap = snapshot({ schemas: [retired], schemaCatalogs: ['course'] });
    const plan = planUc({ owner: OWNER, uc: project(PERSONAL, [{ user_name: 'john.smith@z.com' }]), snapshot: snap, deployer: DEPLOYER });
    expect(plan.actions.filter((a) => a.op === 'create' && a.type === 'schema').map((a) => a.name)).toEqual(['course.john_smith_2']);
    expect(plan.actions.filter((a) => a.op === 'retire' || a.op === 'purge')).toEqual([]);
  });
});

describe('reference mode', () => {
  const YML = `bundle: { name: p }
resources:
  groups:
    admins: { display_name: admins, lifecycle: { mode: reference } }
  users:
    boss: { user_name: Boss@x.com, groups: [admins], lifecycle: { mode: reference } }
  catalogs:
    main: { name: main, lifecycle: { mode: reference }, comment: changed }
`;

  it('a referenced object that exists is never changed (members and comment included); the plan says so', () => {
    const snap = snapshot({
      users: [{ id: 'u1', userName: 'boss@x.com', active: true }],
      groups: [{ id: 'g1', displayName: 'admins', members: ['u9'] }],
      catalogs: [{ type: 'catalog', fullName: 'main', comment: 'as it is', properties: {} }],
    });
    const plan = planUc({ owner: OWNER, uc: project(YML), snapshot: snap, deployer: DEPLOYER });
    expect(plan.conflicts).toEqual([]);
    expect(plan.actions.map(line)).toEqual(['reference user Boss@x.com', 'reference group admins', 'reference catalog main']);
    expect(plan.notes).toEqual(expect.arrayContaining(['user Boss@x.com: referenced (lifecycle.mode: reference) — must exist, never changed']));
  });

  it('a referenced object that does not exist is a conflict naming it', () => {
    const plan = planUc({ owner: OWNER, uc: project(YML), snapshot: snapshot(), deployer: DEPLOYER });
    expect(plan.conflicts).toEqual([
      'user Boss@x.com (resources.users.boss) is referenced (lifecycle.mode: reference) but does not exist in the workspace',
      'group admins (resources.groups.admins) is referenced (lifecycle.mode: reference) but does not exist in the workspace',
      'catalog main (resources.catalogs.main) is referenced (lifecycle.mode: reference) but does not exist',
    ]);
  });
});

describe('grants', () => {
  const YML = (mode: string) => `bundle: { name: p }
grants_mode: ${mode}
resources:
  groups:
    g: { display_name: team }
  catalogs:
    c:
      name: c
      grants:
        - principal: team
          privileges: [use catalog]
`;
  const catalog = (record: Record<string, string[]>): RemoteSecurable => ({ type: 'catalog', fullName: 'c', properties: { [PROP_PROJECT]: OWNER, [PROP_RESOURCE]: 'catalogs.c', 'brickyard.grants': JSON.stringify(record) } });
  const held = grantMap([
    { principal: 'team', privileges: ['USE_CATALOG'] },
    { principal: 'Someone@X.com', privileges: ['SELECT'] },
    { principal: DEPLOYER, privileges: ['MANAGE', 'SELECT'] },
  ]);

  it('additive: a matching record needs no read; read, undeclared grants are listed and left alone', () => {
    const snap = snapshot({ catalogs: [catalog({ team: ['USE_CATALOG'] })], groups: [{ id: 'g', displayName: 'team', externalId: 'brickyard:p/default:group:g', members: [] }] });
    const trusted = planUc({ owner: OWNER, uc: project(YML('additive')), snapshot: snap, deployer: DEPLOYER });
    expect(trusted.needsGrants).toEqual([]);
    expect(trusted.actions.filter((a) => a.op !== 'skip')).toEqual([]);
    snap.grants.set(securableId('catalog', 'c'), held);
    const read = planUc({ owner: OWNER, uc: project(YML('additive')), snapshot: snap, deployer: DEPLOYER, trustRecords: false });
    expect(read.actions.filter((a) => a.op !== 'skip')).toEqual([]);
    expect(read.undeclared.map((u) => `${u.principal} ${u.privileges.join(',')}`)).toEqual(['Someone@X.com SELECT', `${DEPLOYER} MANAGE,SELECT`]);
  });

  it('authoritative: revokes every undeclared grant but the deployer\'s MANAGE', () => {
    const snap = snapshot({ catalogs: [catalog({ team: ['USE_CATALOG'] })], groups: [{ id: 'g', displayName: 'team', externalId: 'brickyard:p/default:group:g', members: [] }] });
    const first = planUc({ owner: OWNER, uc: project(YML('authoritative')), snapshot: snap, deployer: DEPLOYER });
    expect(first.needsGrants).toEqual([{ type: 'catalog', fullName: 'c' }]);
    snap.grants.set(securableId('catalog', 'c'), held);
    const plan = planUc({ owner: OWNER, uc: project(YML('authoritative')), snapshot: snap, deployer: DEPLOYER });
    expect(plan.actions.filter((a) => a.op !== 'skip').map(line)).toEqual(['revoke catalog c Someone@X.com SELECT', `revoke catalog c ${DEPLOYER} SELECT`]);
  });
});
