import { quoteString } from './errors.js';
import type { Session } from './session.js';

/**
 * A CSV file's dialect and schema, detected ONCE with DuckDB's sniff_csv and then spelled out as
 * explicit read_csv options (auto_detect = false). Without this every bind of the statement (the
 * describe that types a CTAS, then the COPY that writes it) would sniff the file again.
 */

export interface SniffedCsv {
  /** read_csv(...) over the file with every detected option explicit */
  scan: string;
  columns: Array<{ name: string; type: string }>;
}

interface SniffRow {
  Delimiter: string;
  Quote: string;
  Escape: string;
  NewLineDelimiter: string;
  Comment: string;
  SkipRows: number;
  HasHeader: boolean;
  Columns: Array<{ name: string; type: string }>;
  DateFormat: string | null;
  TimestampFormat: string | null;
}

/** sniff_csv prints an empty setting as '(empty)'. */
const setting = (value: string) => quoteString(value === '(empty)' ? '' : value);

export async function sniffCsv(session: Session, file: string, options: { header: boolean; delimiter?: string | undefined }): Promise<SniffedCsv | undefined> {
  const given = [`header = ${options.header}`, ...(options.delimiter !== undefined ? [`delim = ${quoteString(options.delimiter)}`] : [])];
  let row: SniffRow | undefined;
  try {
    const r = await session.conn.runAndReadAll(
      `SELECT Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows, HasHeader, Columns, DateFormat, TimestampFormat FROM sniff_csv(${quoteString(file)}, ${given.join(', ')})`,
    );
    row = r.getRowObjectsJson()[0] as unknown as SniffRow | undefined;
  } catch {
    // leave detection to read_csv itself, which reports the problem in the user's terms
    return undefined;
  }
  if (!row || !Array.isArray(row.Columns) || row.Columns.length === 0 || row.HasHeader !== options.header) return undefined;
  const columns = row.Columns.map((c) => ({ name: String(c.name), type: String(c.type) }));
  const opts = [
    'auto_detect = false',
    `header = ${options.header}`,
    `delim = ${setting(row.Delimiter)}`,
    `quote = ${setting(row.Quote)}`,
    `escape = ${setting(row.Escape)}`,
    `new_line = ${setting(row.NewLineDelimiter)}`,
    `comment = ${setting(row.Comment)}`,
    `skip = ${Number(row.SkipRows)}`,
    `columns = {${columns.map((c) => `${quoteString(c.name)}: ${quoteString(c.type)}`).join(', ')}}`,
    ...(row.DateFormat ? [`dateformat = ${quoteString(row.DateFormat)}`] : []),
    ...(row.TimestampFormat ? [`timestampformat = ${quoteString(row.TimestampFormat)}`] : []),
  ];
  return { scan: `read_csv([${quoteString(file)}], ${opts.join(', ')})`, columns };
}
