import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/core/logger.js';
import { rejectionListener } from '../../src/workspace/rejection-net.js';
import { sqlService } from '../../src/workspace/services/sql/index.js';
import { ucService } from '../../src/workspace/services/uc/index.js';
import { startTestWorkspace, type TestWorkspace } from '../helpers/workspace.js';

/**
 * A store write that fails after the response was sent (the statement's outcome, stored in the
 * background) is handled and logged: the server keeps serving. The workspace also installs a
 * process-level net that logs any rejection nobody handled instead of letting Node exit.
 * (Vitest fails a run on any unhandled rejection, so these tests pass only if none escapes.)
 */

const failures = vi.hoisted(() => ({ left: 0 }));
vi.mock('../../src/workspace/services/sql/statement-store.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/workspace/services/sql/statement-store.js')>();
  return {
    ...real,
    storeFailure: async (...args: Parameters<typeof real.storeFailure>) => {
      if (failures.left > 0) {
        failures.left--;
        throw new Error('the database refused the write');
      }
      return real.storeFailure(...args);
    },
  };
});

let ws: TestWorkspace;
let token: string;
let warehouseId: string;
const lines: string[] = [];

beforeAll(async () => {
  ws = await startTestWorkspace({ logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }), services: [ucService, sqlService] });
  token = ws.token;
  warehouseId = ws.ctx.services.sql.require().warehouseId;
});
afterAll(async () => {
  await ws?.close();
});

interface Statement {
  statement_id: string;
  status: { state: string; error?: { message: string } };
}

async function execute(statement: string, waitTimeout: string): Promise<Statement> {
  const r = await fetch(`${ws.url}/api/2.0/sql/statements`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ statement, warehouse_id: warehouseId, wait_timeout: waitTimeout }),
  });
  expect(r.status).toBe(200);
  return (await r.json()) as Statement;
}

async function poll(id: string): Promise<Statement> {
  const r = await fetch(`${ws.url}/api/2.0/sql/statements/${id}`, { headers: { authorization: `Bearer ${token}` } });
  expect(r.status).toBe(200);
  return (await r.json()) as Statement;
}

describe('a failing store write', () => {
  it('is logged, stored as a plain failure when it can be, and the server keeps serving', async () => {
    failures.left = 1;
    const started = await execute('SELEC 1', '0s');
    await expect.poll(async () => (await poll(started.statement_id)).status.state).toBe('FAILED');
    expect((await poll(started.statement_id)).status.error?.message).toContain('could not store the outcome of this statement');
    expect(lines.some((l) => l.includes('could not store the outcome of a SQL statement') && l.includes('the database refused the write'))).toBe(true);
    expect((await execute('SELECT 1', '50s')).status.state).toBe('SUCCEEDED');
  });

  it('is logged when even the plain failure cannot be stored, and the server keeps serving', async () => {
    failures.left = 2;
    await execute('SELEC 2', '0s');
    await expect.poll(() => lines.some((l) => l.includes('could not store the failure of a SQL statement'))).toBe(true);
    expect(failures.left).toBe(0);
    expect((await execute('SELECT 2', '50s')).status.state).toBe('SUCCEEDED');
  });
});

describe('the process-level net', () => {
  it('is installed while the workspace runs and logs a rejection in one bounded line', () => {
    expect(process.listeners('unhandledRejection')).toContain(rejectionListener);
    const before = lines.length;
    rejectionListener(new Error(`boom ${'x'.repeat(1_000_000)}`));
    const logged = lines.slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('unhandled promise rejection (the server keeps running)');
    expect(logged[0]).toMatch(/…\(\d+ more bytes\)/);
    expect(logged[0]!.length).toBeLessThan(10_000);
  });
});
