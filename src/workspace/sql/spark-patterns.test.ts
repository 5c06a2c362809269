import { describe, expect, it } from 'vitest';
import { strftimeFormat, strptimeFormat } from './spark-patterns.js';

describe('Spark datetime patterns', () => {
  it('translates formatting letters and quoted text to strftime', () => {
    expect(strftimeFormat('yyyy-MM-dd HH:mm:ss')).toBe('%Y-%m-%d %H:%M:%S');
    expect(strftimeFormat("MMM d, yy h:mm a EEEE 'at' SSS")).toBe('%b %-d, %y %-I:%M %p %A at %g');
    expect(strftimeFormat("yyyy'T''%'")).toBe("%YT'%%");
  });

  it('refuses letters whose output differs, naming them', () => {
    expect(() => strftimeFormat('yyyy-MM-dd z')).toThrow(/pattern letters "z"/);
    expect(() => strftimeFormat('yyy')).toThrow(/"yyy"/);
    expect(() => strftimeFormat("yyyy 'T")).toThrow(/unterminated quote/);
  });

  it('parses with fixed-width fields checked by a regular expression', () => {
    expect(strptimeFormat('dd/MM/yyyy HH:mm:ss.SSS', 'to_timestamp()')).toEqual({
      format: '%d/%m/%Y %H:%M:%S.%g',
      regex: '[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}',
    });
    expect(strptimeFormat('yyyy-M-d', 'to_date()').regex).toBe('[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}');
    expect(() => strptimeFormat('yy-MM-dd', 'to_date()')).toThrow(/"yy" in to_date\(\)/);
    expect(() => strptimeFormat('MMM', 'to_date()')).toThrow(/"MMM"/);
  });
});
