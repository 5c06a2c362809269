/**
 * Removal of what the project owns and no longer declares: volumes (whose markers ride in their
 * comment), lifecycle.prevent_destroy recorded on the object, --no-prune, and the places record
 * that keeps a removed schema's catalog listed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupProjects } from '../../project/__fixtures__/tmp.js';
import { DEPLOYER, line, OWNER, snapshot, ucProject as project } from './__fixtures__/plan-inputs.js';
import { grantMap } from './grants.js';
import { PROP_PREVENT_DESTROY, PROP_PROJECT, PROP_RESOURCE, PROP_STATE, securableId, type RemoteSecurable, type UcSnapshot } from './model.js';
import { placesAfter } from './places.js';
import { planUc, type UcPlanInput } from './plan.js';
import { splitVolumeComment, volumeComment } from './volume-marker.js';

afterEach(cleanupProjects);

function plan(yml: string, snap: UcSnapshot, extra: Partial<UcPlanInput> = {}) {
  return planUc({ owner: OWNER, uc: project(yml), snapshot: snap, deployer: DEPLOYER, ...extra });
}

const WITH_VOLUME = (lifecycle = '') => `bundle: { name: p }
resources:
  volumes:
    raw:
      catalog_name: main
      schema_name: landing
      name: raw
      comment: raw files${lifecycle}
      grants:
        - principal: account users
          privileges: [READ_VOLUME]
`;
const WITHOUT_VOLUME = `bundle: { name: p }
resources:
  schemas:
    other: { catalog_name: main, name: other }
`;

/** A volume as a listing returns it once read through splitVolumeComment. */
function listedVolume(comment: string | undefined, owner = DEPLOYER): RemoteSecurable {
  const split = splitVolumeComment(comment);
  return { type: 'volume', fullName: 'main.landing.raw', owner, comment: split.comment, properties: split.properties };
}

describe('volume markers in the comment', () => {
  it('round trip: the user comment and the brickyard properties (grants records excepted) come back apart', () => {
    const text = volumeComment('raw files [see wiki]', { [PROP_PROJECT]: 'p/dev', [PROP_RESOURCE]: 'volumes.raw', 'brickyard.grants': '{}' });
    expect(text).toBe('raw files [see wiki] [brickyard:project=p%2Fdev&resource=volumes.raw]');
    expect(splitVolumeComment(text)).toEqual({ comment: 'raw files [see wiki]', properties: { [PROP_PROJECT]: 'p/dev', [PROP_RESOURCE]: 'volumes.raw' } });
    expect(splitVolumeComment(volumeComment(undefined, { [PROP_PROJECT]: 'p' }))).toEqual({ comment: undefined, properties: { [PROP_PROJECT]: 'p' } });
    expect(splitVolumeComment('just a comment')).toEqual({ comment: 'just a comment', properties: {} });
  });

  it('a new volume is created with the tag; an existing untagged one is adopted by rewriting its comment', () => {
    const created = plan(WITH_VOLUME(), snapshot({ volumeSchemas: ['main.landing'] }));
    const create = created.actions.find((a) => a.op === 'create')!;
    expect(create.op === 'create' && create.body?.['comment']).toBe('raw files [brickyard:project=p%2Fdefault&resource=volumes.raw]');

    const snap = snapshot({ volumes: [listedVolume('raw files')], volumeSchemas: ['main.landing'] });
    snap.grants.set(securableId('volume', 'main.landing.raw'), grantMap([{ principal: 'account users', privileges: ['READ_VOLUME'] }]));
    const adopted = plan(WITH_VOLUME(), snap);
    const update = adopted.actions.find((a) => a.op === 'update')!;
    expect(update.op === 'update' && update.body).toEqual({ comment: 'raw files [brickyard:project=p%2Fdefault&resource=volumes.raw]' });
  });

  it('an owned, tagged volume that matches is unchanged', () => {
    const snap = snapshot({ volumes: [listedVolume('raw files [brickyard:project=p%2Fdefault&resource=volumes.raw]')], volumeSchemas: ['main.landing'] });
    snap.grants.set(securableId('volume', 'main.landing.raw'), grantMap([{ principal: 'account users', privileges: ['READ_VOLUME'] }]));
    expect(plan(WITH_VOLUME(), snap).actions.map(line)).toEqual(['skip volume main.landing.raw']);
  });
});

describe('a volume removed from the configuration', () => {
  const owned = 'raw files [brickyard:project=p%2Fdefault&resource=volumes.raw]';
  function removedSnap(comment = owned): UcSnapshot {
    const snap = snapshot({ volumes: [listedVolume(comment, 'someone@x.com')], volumeSchemas: ['main.landing'] });
    snap.grants.set(securableId('volume', 'main.landing.raw'), grantMap([{ principal: 'account users', privileges: ['READ_VOLUME'] }, { principal: DEPLOYER, privileges: ['MANAGE'] }]));
    return snap;
  }

  it('is retired: its grants revoked, owner → the deployer, the retired state in its comment tag, files kept', () => {
    const p = plan(WITHOUT_VOLUME, removedSnap());
    expect(p.actions.filter((a) => a.type === 'volume').map(line)).toEqual(['revoke volume main.landing.raw account users READ_VOLUME', 'retire volume main.landing.raw']);
    const retire = p.actions.find((a) => a.op === 'retire')!;
    expect(retire.op === 'retire' && retire.body).toEqual({ owner: DEPLOYER, comment: 'raw files [brickyard:project=p%2Fdefault&resource=volumes.raw&state=retired]' });
    expect(retire.op === 'retire' && retire.changes).toEqual([`owner: someone@x.com → ${DEPLOYER}`, 'grants removed', 'data kept']);
  });

  it('once retired nothing more is planned; --purge-data deletes it (the plan says so)', () => {
    const retired = removedSnap('raw files [brickyard:project=p%2Fdefault&resource=volumes.raw&state=retired]');
    expect(plan(WITHOUT_VOLUME, retired).actions.filter((a) => a.type === 'volume')).toEqual([]);
    expect(plan(WITHOUT_VOLUME, retired, { purgeData: true }).actions.filter((a) => a.type === 'volume').map(line)).toEqual(['purge volume main.landing.raw']);
  });

  it('a volume of another project, or an untagged one, is never touched', () => {
    expect(plan(WITHOUT_VOLUME, removedSnap('x [brickyard:project=q%2Fdefault&resource=volumes.raw]'), { purgeData: true }).actions.filter((a) => a.type === 'volume')).toEqual([]);
    expect(plan(WITHOUT_VOLUME, removedSnap('raw files'), { purgeData: true }).actions.filter((a) => a.type === 'volume')).toEqual([]);
  });

  it('--no-prune keeps it as it is and the plan lists it as kept', () => {
    const p = plan(WITHOUT_VOLUME, removedSnap(), { prune: false, purgeData: true });
    expect(p.actions.filter((a) => a.type === 'volume')).toEqual([]);
    expect(p.kept).toEqual([{ type: 'volume', key: 'volumes.raw', name: 'main.landing.raw', reason: 'no-prune' }]);
  });

  it('lifecycle.prevent_destroy is recorded in the tag while declared; once removed the volume is kept', () => {
    const snap = snapshot({ volumes: [listedVolume(owned)], volumeSchemas: ['main.landing'] });
    snap.grants.set(securableId('volume', 'main.landing.raw'), grantMap([{ principal: 'account users', privileges: ['READ_VOLUME'] }]));
    const guarded = plan(WITH_VOLUME('\n      lifecycle: { prevent_destroy: true }'), snap);
    const update = guarded.actions.find((a) => a.op === 'update')!;
    expect(update.op === 'update' && update.changes).toEqual([PROP_PREVENT_DESTROY]);
    const tagged = update.op === 'update' ? (update.body?.['comment'] as string) : '';
    expect(tagged).toBe('raw files [brickyard:prevent_destroy=true&project=p%2Fdefault&resource=volumes.raw]');

    const p = plan(WITHOUT_VOLUME, removedSnap(tagged), { purgeData: true });
    expect(p.actions.filter((a) => a.type === 'volume')).toEqual([]);
    expect(p.kept).toEqual([{ type: 'volume', key: 'volumes.raw', name: 'main.landing.raw', reason: 'prevent_destroy' }]);

    // declared again without the flag: the recorded true is lifted to false (not left behind)
    const lifted = plan(WITH_VOLUME(), { ...removedSnap(tagged), grants: snap.grants });
    const lift = lifted.actions.find((a) => a.op === 'update')!;
    expect(lift.op === 'update' && lift.body?.['comment']).toContain('prevent_destroy=false');
  });
});

describe('schemas: --no-prune and prevent_destroy apply as to volumes', () => {
  it('an owned schema no longer declared is kept under --no-prune, or when deployed with prevent_destroy', () => {
    const schema = (props: Record<string, string>): RemoteSecurable => ({ type: 'schema', fullName: 'old.s', owner: DEPLOYER, properties: { [PROP_PROJECT]: OWNER, [PROP_RESOURCE]: 'schemas.s', ...props } });
    expect(plan(WITHOUT_VOLUME, snapshot({ schemas: [schema({})] }), { prune: false, purgeData: true }).kept).toEqual([{ type: 'schema', key: 'schemas.s', name: 'old.s', reason: 'no-prune' }]);
    const guarded = plan(WITHOUT_VOLUME, snapshot({ schemas: [schema({ [PROP_PREVENT_DESTROY]: 'true' })] }), { purgeData: true });
    expect(guarded.actions.filter((a) => a.name === 'old.s')).toEqual([]);
    expect(guarded.kept.map((k) => k.reason)).toEqual(['prevent_destroy']);
    // a retired schema under --no-prune is not reported again and again
    expect(plan(WITHOUT_VOLUME, snapshot({ schemas: [schema({ [PROP_STATE]: 'retired' })] }), { prune: false }).kept).toEqual([]);
  });
});

describe('the places record', () => {
  const YML = `bundle: { name: p }
resources:
  schemas:
    s: { catalog_name: new_home, name: s }
`;
  const old: RemoteSecurable = { type: 'schema', fullName: 'old_home.gone', owner: DEPLOYER, properties: { [PROP_PROJECT]: OWNER, [PROP_RESOURCE]: 'schemas.gone', [PROP_STATE]: 'retired' } };

  it('names the declared catalogs and those still holding an owned schema; a purged one leaves it', () => {
    const uc = project(YML);
    const snap = snapshot({ schemas: [old], schemaCatalogs: ['old_home'], places: { catalogs: ['old_home'], schemas: [] } });
    const kept = planUc({ owner: OWNER, uc, snapshot: snap, deployer: DEPLOYER });
    expect(placesAfter(uc, snap, kept, OWNER)).toEqual({ catalogs: ['new_home', 'old_home'], schemas: [] });
    const purged = planUc({ owner: OWNER, uc, snapshot: snap, deployer: DEPLOYER, purgeData: true });
    expect(purged.actions.map(line)).toContain('purge schema old_home.gone');
    expect(placesAfter(uc, snap, purged, OWNER)).toEqual({ catalogs: ['new_home'], schemas: [] });
  });
});
