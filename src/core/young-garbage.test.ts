import { describe, expect, it } from 'vitest';
import { collectYoungGarbage } from './young-garbage.js';

const MiB = 1 << 20;

describe('collectYoungGarbage', () => {
  it('frees the buffers of dead young objects, and leaves no gc global behind', async () => {
    let held: Buffer[] | undefined = Array.from({ length: 8 }, () => Buffer.alloc(MiB, 1));
    const before = process.memoryUsage().arrayBuffers;
    expect(held.length).toBe(8);
    held = undefined;
    collectYoungGarbage();
    // V8 may finish sweeping the freed buffers on a helper thread: give it the turns it needs
    let after = process.memoryUsage().arrayBuffers;
    for (let turn = 0; turn < 100 && before - after < 7 * MiB; turn++) {
      await new Promise((resolve) => setImmediate(resolve));
      after = process.memoryUsage().arrayBuffers;
    }
    expect(before - after).toBeGreaterThanOrEqual(7 * MiB);
    expect('gc' in globalThis).toBe(false);
  });
});
