/** Human and JSON renderings of a sync, shared by `brickyard sync` and `brickyard deploy`. */
import type { SyncOutput } from '../api/cli-project-output.js';
import { ExitCode } from '../core/errors.js';
import type { SyncFailure, SyncProgressEvent, SyncSummary, SyncedObject } from './types.js';

const RULE = '='.repeat(50);
const BAR_WIDTH = 24;

export function syncExitCode(summary: SyncSummary): number {
  if (summary.failures.length > 0) return ExitCode.failure;
  if (summary.interrupted) return ExitCode.interrupted;
  return ExitCode.ok;
}

export function summaryCounts(summary: SyncSummary) {
  const successful = summary.uploaded.length + summary.deleted.length;
  return {
    uploaded: summary.uploaded.length,
    deleted: summary.deleted.length,
    unchanged: summary.unchanged,
    skipped: summary.skipped.length,
    failed: summary.failures.length,
    successful,
    total_processed: successful + summary.failures.length,
  };
}

/** File names may hold control characters; a terminal must not interpret them. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function uploadedLine(o: SyncedObject, dryRun = false): string {
  const verb = dryRun ? 'Would upload' : '✓ Uploaded';
  return `${verb}${o.kind === 'notebook' ? ' notebook' : ''}: ${printable(o.remotePath)}`;
}

export function deletedLine(o: SyncedObject, dryRun = false): string {
  return `${dryRun ? 'Would delete' : '✓ Deleted'}: ${printable(o.remotePath)}`;
}

export function failureLines(f: SyncFailure): string {
  const verb = f.action === 'upload' ? 'upload' : f.action === 'delete' ? 'delete' : f.action === 'mkdirs' ? 'create directory' : 'write the sync manifest';
  return `✗ Failed to ${verb}: ${printable(f.remotePath)}\n  Error: ${printable(f.error)}\n`;
}

/** The closing block: skipped files, failures (when not already shown), warnings and counts. */
export function renderSummaryText(summary: SyncSummary, opts: { failuresShown?: boolean } = {}): string {
  const out: string[] = [];
  for (const s of summary.skipped) out.push(`⊘ Skipped: ${printable(s.relPath)} (${s.reason})\n`);
  if (!opts.failuresShown) for (const f of summary.failures) out.push(failureLines(f));
  for (const w of summary.warnings) out.push(`warning: ${printable(w)}\n`);
  for (const o of summary.overwritten) out.push(`${summary.dryRun ? 'Would overwrite' : 'Overwrote'} ${printable(o.remotePath)} (changed in the workspace since the last sync)\n`);
  for (const o of summary.kept) out.push(`Kept (--no-prune): ${printable(o.remotePath)} (no longer in the project)\n`);
  if (summary.interrupted) out.push('Interrupted: the remaining files were not synced; run the sync again to finish.\n');
  const c = summaryCounts(summary);
  out.push(
    `\n${RULE}\n${summary.dryRun ? 'Sync Plan (dry run, nothing written)' : 'Sync Summary'}:\n` +
      `  ${summary.dryRun ? 'To upload' : 'Uploaded'}: ${c.uploaded}\n` +
      `  ${summary.dryRun ? 'To delete' : 'Deleted'}: ${c.deleted}\n` +
      `  Unchanged: ${c.unchanged}\n` +
      (summary.dryRun ? '' : `  Successful: ${c.successful}\n  Failed: ${c.failed}\n`) +
      `  Skipped: ${c.skipped}\n` +
      (summary.dryRun ? '' : `  Total processed: ${c.total_processed}\n`) +
      `${RULE}\n`,
  );
  return out.join('');
}

/** Dry-run listing of what a sync would do. */
export function renderPlanText(summary: SyncSummary): string {
  return [...summary.deleted.map((o) => deletedLine(o, true)), ...summary.uploaded.map((o) => uploadedLine(o, true))].map((l) => l + '\n').join('');
}

export function summaryToJson(summary: SyncSummary, calls?: { total: number; writes: number }): SyncOutput {
  const object = (o: SyncedObject) => ({ path: o.relPath, remote_path: o.remotePath, kind: o.kind, format: o.format });
  return {
    ok: summary.failures.length === 0 && !summary.interrupted,
    dry_run: summary.dryRun,
    source: summary.source,
    dest: summary.dest,
    manifest_path: summary.manifestPath,
    counts: summaryCounts(summary),
    uploaded: summary.uploaded.map(object),
    deleted: summary.deleted.map(object),
    removed_directories: summary.removedDirectories,
    skipped: summary.skipped.map((s) => ({ path: s.relPath, reason: s.reason })),
    failures: summary.failures.map((f) => ({ action: f.action, ...(f.relPath === undefined ? {} : { path: f.relPath }), remote_path: f.remotePath, error: f.error })),
    warnings: summary.warnings,
    manifest_written: summary.manifestWritten,
    interrupted: summary.interrupted,
    overwritten: summary.overwritten.map(object),
    kept: summary.kept.map(object),
    ...(calls ? { api_calls: { total: calls.total, writes: calls.writes } } : {}),
  };
}

/**
 * Live progress: one line per finished operation on a plain stream, a redrawn bar on a
 * terminal (failures are then listed in the closing summary).
 */
export function createProgressPrinter(write: (text: string) => void, isTTY: boolean): (event: SyncProgressEvent) => void {
  let total = 0;
  let failed = 0;
  const bar = (completed: number) => {
    const filled = total === 0 ? BAR_WIDTH : Math.round((completed / total) * BAR_WIDTH);
    return `\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${completed}/${total} synced${failed > 0 ? `, ${failed} failed` : ''}`;
  };
  return (event) => {
    switch (event.type) {
      case 'start':
        total = event.total;
        write(`To upload: ${event.uploads}  To delete: ${event.deletes}  Unchanged: ${event.unchanged}\n`);
        if (isTTY && total > 0) write(bar(0));
        return;
      case 'done':
        if (isTTY) write(bar(event.completed));
        else write((event.action === 'upload' ? uploadedLine(event.object) : deletedLine(event.object)) + '\n');
        return;
      case 'failed':
        failed++;
        if (isTTY) write(bar(event.completed));
        else write(failureLines(event.failure));
        return;
      case 'finish':
        if (isTTY && total > 0) write('\r\x1b[2K');
        return;
    }
  };
}
