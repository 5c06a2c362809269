import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';

describe('ManualClock', () => {
  it('fires timers in order only when advanced', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimer(200, () => fired.push('b'));
    clock.setTimer(100, () => {
      fired.push('a');
      clock.setTimer(50, () => fired.push('a2'));
    });
    const cancel = clock.setTimer(120, () => fired.push('cancelled'));
    cancel();
    await clock.advance(99);
    expect(fired).toEqual([]);
    await clock.advance(200);
    expect(fired).toEqual(['a', 'a2', 'b']);
    expect(clock.now()).toBe(299);
  });
});
