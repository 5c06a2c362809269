/**
 * Time is injected so the scheduler, retries and timeouts can be tested by advancing a
 * manual clock instead of sleeping.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms` of this clock's time; the returned cancel function stops it. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref?.();
    return () => clearTimeout(t);
  },
};

interface PendingTimer { at: number; fn: () => void; seq: number }

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  private current: number;
  private timers: PendingTimer[] = [];
  private seq = 0;
  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }
  now(): number {
    return this.current;
  }
  setTimer(ms: number, fn: () => void): () => void {
    const timer = { at: this.current + Math.max(0, ms), fn, seq: this.seq++ };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }
  /** Moves time forward, firing due timers in order (timers set while firing are honoured). */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.at);
      next.fn();
      // let promise chains started by the timer run before the next one fires
      await new Promise((r) => setImmediate(r));
    }
    this.current = target;
  }
  pendingTimers(): number {
    return this.timers.length;
  }
}
