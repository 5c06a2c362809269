import { FileArrivalTriggerSchema, TableUpdateTriggerSchema } from '../../../api/job-triggers.js';
import type { JobSettings } from '../../../api/job-settings.js';
import { apiErrors } from '../../../core/errors.js';
import type { WorkspaceContext } from '../../context.js';
import { parseWith } from '../../http/body.js';
import { parseVolumePath, volumeFullName } from '../files/paths.js';
import { getTable, getVolume } from '../uc/records.js';

const refuse = (what: string) =>
  apiErrors.invalidParameter(`${what} is not supported by the local workspace: it honours schedule, trigger.file_arrival on /Volumes paths and trigger.table_update.`);

/**
 * Refuses, at create/update, every trigger the local workspace cannot honour (never stored and
 * silently ignored), and checks the ones it honours name a volume / tables that exist.
 */
export async function checkTriggers(ctx: WorkspaceContext, settings: JobSettings, named: (path: string) => string): Promise<void> {
  const raw = settings as Record<string, unknown>;
  if (raw['continuous'] !== undefined) throw refuse(`${named('continuous')} (continuous jobs)`);
  if (raw['triggers'] !== undefined) throw refuse(named('triggers'));
  if (settings.schedule?.sql_condition !== undefined) throw refuse(named('schedule.sql_condition'));
  const trigger = settings.trigger;
  if (!trigger) return;
  for (const kind of ['periodic', 'model', 'sql_condition'] as const) {
    if (trigger[kind] !== undefined) throw refuse(named(`trigger.${kind}`));
  }
  const { file_arrival: files, table_update: tables } = trigger;
  if (files === undefined && tables === undefined) throw apiErrors.invalidParameter(`Invalid value for ${named('trigger')}: set file_arrival or table_update.`);
  if (files !== undefined && tables !== undefined) throw apiErrors.invalidParameter(`Invalid value for ${named('trigger')}: set only one of file_arrival and table_update.`);
  if (files !== undefined) {
    const conf = parseWith(FileArrivalTriggerSchema, files);
    const path = parseVolumeUrl(conf.url, named('trigger.file_arrival.url'));
    if (!(await getVolume(ctx, volumeFullName(path)))) throw apiErrors.invalidParameter(`Invalid value for ${named('trigger.file_arrival.url')}: volume ${volumeFullName(path)} does not exist.`);
  }
  if (tables !== undefined) {
    const conf = parseWith(TableUpdateTriggerSchema, tables);
    for (const name of conf.table_names) {
      if (name.split('.').length !== 3) throw apiErrors.invalidParameter(`Invalid value for ${named('trigger.table_update.table_names')}: '${name}' is not a catalog.schema.table name.`);
      if (!(await getTable(ctx, name.toLowerCase()))) throw apiErrors.invalidParameter(`Invalid value for ${named('trigger.table_update.table_names')}: table ${name} does not exist.`);
    }
  }
}

/** A file-arrival URL: `/Volumes/<catalog>/<schema>/<volume>[/<path>]` (also as `dbfs:/Volumes/...`). */
export function parseVolumeUrl(url: string, field: string): ReturnType<typeof parseVolumePath> {
  const path = url.startsWith('dbfs:/Volumes/') ? url.slice('dbfs:'.length) : url;
  if (!path.startsWith('/Volumes/')) {
    throw apiErrors.invalidParameter(`Invalid value for ${field}: '${url}' is not a Unity Catalog volume path; the local workspace watches /Volumes/<catalog>/<schema>/<volume>/<path> only (no cloud storage URLs).`);
  }
  // the Files API's parser: percent-encoding is not expected here, so encode what it would decode
  return parseVolumePath(path.split('/').map((s) => encodeURIComponent(s)).join('/'));
}
