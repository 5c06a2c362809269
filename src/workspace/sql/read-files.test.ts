import { describe, expect, it } from 'vitest';
import { splitGlob } from './read-files.js';

describe('read_files path globs', () => {
  it('leaves plain paths alone', () => {
    expect(splitGlob('/Volumes/c/s/v/dir/a.csv')).toEqual({ dir: '/Volumes/c/s/v/dir/a.csv' });
  });

  it('matches file names in the last segment only', () => {
    const g = splitGlob('/Volumes/c/s/v/orders_*.csv');
    expect(g.dir).toBe('/Volumes/c/s/v');
    expect(['orders_1.csv', 'orders_.csv', 'orders_1.json', 'xorders_1.csv', 'orders_1.csv.bak'].filter((n) => g.matches!(n))).toEqual(['orders_1.csv', 'orders_.csv']);
  });

  it('knows ?, [..], [!..] and {a,b}, and treats regex characters literally', () => {
    const g = splitGlob('/v/{day,night}_[0-9]?.c+v');
    expect(['day_1a.c+v', 'night_9z.c+v', 'dusk_1a.c+v', 'day_xa.c+v', 'day_1a.ccv'].filter((n) => g.matches!(n))).toEqual(['day_1a.c+v', 'night_9z.c+v']);
    expect(['a1', 'b1'].filter((n) => splitGlob('/v/[!a]1').matches!(n))).toEqual(['b1']);
    expect(() => splitGlob('/v/{a,b')).toThrow(/Unclosed/);
  });
});
