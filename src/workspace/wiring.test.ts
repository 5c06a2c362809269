import { describe, expect, it } from 'vitest';
import { Capability, Hooks } from './wiring.js';

describe('Capability', () => {
  it('holds the value its owner provides until the owner withdraws it', () => {
    const cap = new Capability<{ id: string }>('sql', 'sql');
    expect(cap.current).toBeUndefined();
    expect(() => cap.require()).toThrow('sql is not available: the sql service is not running');
    const value = { id: 'a' };
    cap.provide(value);
    expect(cap.require()).toBe(value);
    expect(() => cap.provide({ id: 'b' })).toThrow('sql is already provided (by the sql service)');
    cap.withdraw({ id: 'a' }); // an equal but other value: not the one provided, kept
    expect(cap.current).toBe(value);
    cap.withdraw(value);
    expect(cap.current).toBeUndefined();
    cap.provide({ id: 'c' });
    cap.withdraw();
    expect(cap.current).toBeUndefined();
  });
});

describe('Hooks', () => {
  it('lists subscribers in order, as a snapshot', () => {
    const hooks = new Hooks<[n: number]>();
    const seen: string[] = [];
    hooks.subscribe((n) => void seen.push(`first ${n}`));
    const snapshot = hooks.list();
    hooks.subscribe((n) => void seen.push(`second ${n}`));
    for (const h of snapshot) void h(1);
    for (const h of hooks.list()) void h(2);
    expect(seen).toEqual(['first 1', 'first 2', 'second 2']);
  });
});
