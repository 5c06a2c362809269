import { describe, expect, it } from 'vitest';
import { checkBronzeLocation, DatasetSettingsError } from './settings.js';

describe('checkBronzeLocation', () => {
  it('takes a volume path, with or without a directory inside it', () => {
    expect(checkBronzeLocation(undefined)).toBeUndefined();
    expect(checkBronzeLocation('/Volumes/main/landing/bronze')).toBe('/Volumes/main/landing/bronze');
    expect(checkBronzeLocation('/Volumes/main/landing/bronze/tables/')).toBe('/Volumes/main/landing/bronze/tables/');
  });

  it('refuses what would fail every sync later, saying what to give instead', () => {
    for (const bad of ['relative/dir', '/tmp/bronze', '/Volumes/main/landing', '/Volumes/main/../x/y', "/Volumes/main/l/v/it's", '/Volumes/main/l/v/a\0b', 's3://bucket/bronze']) {
      expect(() => checkBronzeLocation(bad), bad).toThrow(DatasetSettingsError);
      expect(() => checkBronzeLocation(bad), bad).toThrow(/\/Volumes\/<catalog>\/<schema>\/<volume>/);
    }
  });
});
