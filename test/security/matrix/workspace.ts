import type { Fixtures } from './fixtures.js';
import { b64, from, q, type MatrixEntry } from './types.js';

/**
 * Workspace, workspace-files and the Permissions API for directories, notebooks and files, on
 * the owner's home folder: CAN_READ (reader) reads, lists and exports; CAN_RUN (runner) also runs
 * but edits nothing; the owner manages its home.
 */
const acl = (fx: Fixtures) => ({ access_control_list: [{ user_name: fx.name.reader, permission_level: 'CAN_READ' }, { group_name: 'runners', permission_level: 'CAN_RUN' }] });

function permissionRoutes(kind: 'directories' | 'notebooks' | 'files', id: (fx: Fixtures) => number, body: (fx: Fixtures) => unknown): MatrixEntry[] {
  const on = `the owner's ${kind === 'directories' ? 'home folder' : kind === 'notebooks' ? 'notebook' : 'file'}`;
  return [
    { route: `GET permissions/${kind}/:object_id`, on, request: (fx) => ({ path: `permissions/${kind}/${id(fx)}` }), expect: from('reader') },
    { route: `GET permissions/${kind}/:object_id/permissionLevels`, on, request: (fx) => ({ path: `permissions/${kind}/${id(fx)}/permissionLevels` }), expect: from('reader') },
    { route: `PUT permissions/${kind}/:object_id`, on: `${on} (the same grants again)`, request: (fx) => ({ path: `permissions/${kind}/${id(fx)}`, body: body(fx) }), expect: from('owner') },
    { route: `PATCH permissions/${kind}/:object_id`, on: `${on} (the same grants again)`, request: (fx) => ({ path: `permissions/${kind}/${id(fx)}`, body: body(fx) }), expect: from('owner') },
  ];
}

export const workspace: MatrixEntry[] = [
  { route: 'POST workspace/mkdirs', on: "a new folder in the owner's home", request: (fx, role) => ({ path: 'workspace/mkdirs', body: { path: `${fx.home}/dir-${role}` } }), expect: from('owner') },
  { route: 'GET workspace/get-status', on: "the owner's notebook", request: (fx) => ({ path: `workspace/get-status${q({ path: fx.nb })}` }), expect: from('reader') },
  { route: 'GET workspace/list', on: "the owner's home", request: (fx) => ({ path: `workspace/list${q({ path: fx.home })}` }), expect: from('reader') },
  {
    route: 'POST workspace/import',
    on: "the owner's notebook (overwritten with the same text)",
    request: (fx) => ({ path: 'workspace/import', body: { path: fx.nb, format: 'SOURCE', language: 'PYTHON', content: b64('# Databricks notebook source\nprint(1)\n'), overwrite: true } }),
    expect: from('owner'),
  },
  { route: 'GET workspace/export', on: "the owner's notebook", request: (fx) => ({ path: `workspace/export${q({ path: fx.nb, format: 'SOURCE' })}` }), expect: from('reader') },
  { route: 'POST workspace/delete', on: 'a fresh notebook of the owner', request: async (fx) => ({ path: 'workspace/delete', body: { path: (await fx.fresh.notebook()).path } }), expect: from('owner') },
  {
    route: 'POST workspace-files/import-file/*',
    on: "a new file in the owner's home",
    request: (fx, role) => ({ path: `workspace-files/import-file${encodeURI(`${fx.home}/up-${role}.txt`)}?overwrite=true`, raw: 'x' }),
    expect: from('owner'),
  },
  { route: 'GET workspace-files/*', on: "the owner's file", request: (fx) => ({ path: `workspace-files${encodeURI(fx.file)}` }), expect: from('reader') },
  ...permissionRoutes('directories', (fx) => fx.ids.home, acl),
  ...permissionRoutes('notebooks', (fx) => fx.ids.nb, () => ({ access_control_list: [] })),
  ...permissionRoutes('files', (fx) => fx.ids.file, () => ({ access_control_list: [] })),
];
