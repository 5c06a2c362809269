import { describe, expect, it } from 'vitest';
import { createProgressPrinter, renderSummaryText, summaryToJson, syncExitCode } from './report.js';
import type { SyncSummary, SyncedObject } from './types.js';

const obj = (rel: string, kind: 'file' | 'notebook' = 'file'): SyncedObject => ({ relPath: rel, remotePath: `/d/${rel}`, kind, format: kind === 'file' ? 'RAW' : 'SOURCE' });

function summary(over: Partial<SyncSummary> = {}): SyncSummary {
  return {
    source: '/src',
    dest: '/d',
    manifestPath: '/d/.brickyard/sync-manifest.json',
    dryRun: false,
    uploaded: [obj('a.txt'), obj('nb', 'notebook')],
    deleted: [obj('old.txt')],
    removedDirectories: [],
    unchanged: 4,
    skipped: [{ relPath: 'logo.png', reason: 'binary' }],
    failures: [{ action: 'upload', relPath: 'bad.txt', remotePath: '/d/bad.txt', error: 'INVALID_PARAMETER_VALUE: no' }],
    warnings: [],
    manifestWritten: true,
    overwritten: [],
    kept: [],
    interrupted: false,
    ...over,
  };
}

describe('sync report', () => {
  it('renders the closing summary with skipped files and failures', () => {
    expect(renderSummaryText(summary())).toBe(
      [
        '⊘ Skipped: logo.png (binary)',
        '✗ Failed to upload: /d/bad.txt',
        '  Error: INVALID_PARAMETER_VALUE: no',
        '',
        '='.repeat(50),
        'Sync Summary:',
        '  Uploaded: 2',
        '  Deleted: 1',
        '  Unchanged: 4',
        '  Successful: 3',
        '  Failed: 1',
        '  Skipped: 1',
        '  Total processed: 4',
        '='.repeat(50),
        '',
      ].join('\n'),
    );
    expect(syncExitCode(summary())).toBe(1);
    expect(syncExitCode(summary({ failures: [] }))).toBe(0);
    expect(syncExitCode(summary({ failures: [], interrupted: true }))).toBe(130);
    expect(summaryToJson(summary()).counts).toEqual({ uploaded: 2, deleted: 1, unchanged: 4, skipped: 1, failed: 1, successful: 3, total_processed: 4 });
  });

  it('prints one line per operation on a plain stream and a redrawn bar on a terminal', () => {
    const events = (write: (t: string) => void, tty: boolean) => {
      const p = createProgressPrinter(write, tty);
      p({ type: 'start', total: 2, uploads: 2, deletes: 0, unchanged: 0 });
      p({ type: 'done', action: 'upload', object: obj('nb', 'notebook'), completed: 1, total: 2 });
      p({ type: 'failed', failure: { action: 'upload', remotePath: '/d/x', error: 'boom' }, completed: 2, total: 2 });
      p({ type: 'finish' });
    };
    let plain = '';
    events((t) => (plain += t), false);
    expect(plain).toBe('To upload: 2  To delete: 0  Unchanged: 0\n✓ Uploaded notebook: /d/nb\n✗ Failed to upload: /d/x\n  Error: boom\n');
    let tty = '';
    events((t) => (tty += t), true);
    expect(tty.split('\r\x1b[2K')).toEqual([
      'To upload: 2  To delete: 0  Unchanged: 0\n',
      '[........................] 0/2 synced',
      '[############............] 1/2 synced',
      '[########################] 2/2 synced, 1 failed',
      '',
    ]);
  });
});
