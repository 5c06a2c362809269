import { MARKER } from './fixtures.js';
import { everyone, exactly, type MatrixEntry } from './types.js';

/**
 * Brickyard's own routes. Datasets (the seed's upload API, no Databricks counterpart) have no
 * grants of their own: the owner who uploaded one and admins use it, anyone else is answered as if
 * it did not exist, and sees only their own listed. Sync requests stay pending (no sync worker runs
 * here); whether one is accepted also depends on the owner's grants on the tenant's catalog.
 */
const ownerAndAdmins = exactly({ owner: 'ok', admin: 'ok' }, 'hidden');

export const datasets: MatrixEntry[] = [
  { route: 'POST brickyard/datasets', on: 'a dataset of the caller (kept local)', request: (fx, role) => ({ path: 'brickyard/datasets', body: { name: `new-${role}-${fx.next()}`, records: [{ a: 1 }], sync: false } }), expect: everyone },
  { route: 'GET brickyard/datasets', on: "the owner's dataset", request: () => ({ path: 'brickyard/datasets' }), expect: everyone, shows: { marker: () => `ds${MARKER}`, to: ['owner', 'admin'] } },
  { route: 'GET brickyard/datasets/:id', on: "the owner's dataset", request: (fx) => ({ path: `brickyard/datasets/${fx.dataset}` }), expect: ownerAndAdmins },
  { route: 'GET brickyard/datasets/:id/databricks/status', on: "the owner's dataset", request: (fx) => ({ path: `brickyard/datasets/${fx.dataset}/databricks/status` }), expect: ownerAndAdmins },
  { route: 'GET brickyard/datasets/:id/file', on: "the owner's dataset (its Parquet file)", request: (fx) => ({ path: `brickyard/datasets/${fx.dataset}/file` }), expect: ownerAndAdmins },
  // the sync runs as the dataset's owner: the owner is refused (403) where their Unity Catalog grants
  // would not let the sync write (the catalog of tenant `locked` is the admin's); an admin's request is
  // accepted, and fails in the worker as the owner's (test/datasets/sync-permissions.test.ts).
  // A second request while one is pending is refused (400) whoever asks: each call gets a fresh dataset
  { route: 'POST brickyard/datasets/:id/sync', on: "a fresh dataset of the owner, in a tenant whose catalog the owner has no grant on", request: async (fx) => ({ path: `brickyard/datasets/${await fx.fresh.dataset('locked')}/sync` }), expect: exactly({ owner: 'denied', admin: 'ok' }, 'hidden') },
  { route: 'DELETE brickyard/datasets/:id', on: 'a fresh dataset of the owner', request: async (fx) => ({ path: `brickyard/datasets/${await fx.fresh.dataset()}` }), expect: ownerAndAdmins },
];

/** What the UI shows every signed-in user: whether notebooks run isolated. */
export const ui: MatrixEntry[] = [{ route: 'GET brickyard/notebook-isolation', on: 'the workspace', request: () => ({ path: 'brickyard/notebook-isolation' }), expect: everyone }];
