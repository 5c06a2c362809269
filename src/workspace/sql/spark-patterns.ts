import { unsupported } from './errors.js';

/**
 * Spark's datetime patterns (java.time.format.DateTimeFormatter letters, as Databricks'
 * "Datetime patterns" page lists them) translated to DuckDB strftime / strptime formats. Only
 * letters whose output (and, for parsing, whose accepted input) is the same in both engines are
 * translated; any other pattern letter is refused by name.
 */

type Piece = { letter: string; count: number } | { text: string };

/** Splits a pattern into runs of one letter and literal text ('quoted', '' for a quote, punctuation). */
function pieces(pattern: string): Piece[] {
  const out: Piece[] = [];
  let k = 0;
  while (k < pattern.length) {
    const c = pattern[k]!;
    if (c === "'") {
      if (pattern[k + 1] === "'") {
        out.push({ text: "'" });
        k += 2;
        continue;
      }
      // quoted text up to the closing quote; '' inside it is a quote
      let text = '';
      let end = k + 1;
      for (;;) {
        if (end >= pattern.length) throw unsupported(`the datetime pattern ${JSON.stringify(pattern)} (an unterminated quote)`);
        if (pattern[end] === "'" && pattern[end + 1] === "'") {
          text += "'";
          end += 2;
        } else if (pattern[end] === "'") break;
        else text += pattern[end++]!;
      }
      out.push({ text });
      k = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let n = 1;
      while (pattern[k + n] === c) n++;
      out.push({ letter: c, count: n });
      k += n;
      continue;
    }
    out.push({ text: c });
    k++;
  }
  return out;
}

const refuse = (pattern: string, run: string, use: string) =>
  unsupported(`the datetime pattern letters ${JSON.stringify(run)} in ${use} (pattern ${JSON.stringify(pattern)})`, 'Supported: y, yy, yyyy, M..MMMM, d, dd, H, HH, h, hh, m, mm, s, ss, SSS, SSSSSS, a, E..EEEE and quoted text.');

/** strftime conversions for letter runs (Spark formatting). */
function formatSpec(letter: string, count: number): string | undefined {
  const padded = (spec: string) => (count === 1 ? `%-${spec}` : count === 2 ? `%${spec}` : undefined);
  switch (letter) {
    case 'y':
      return count === 2 ? '%y' : count === 1 || count === 4 ? '%Y' : undefined;
    case 'M':
    case 'L':
      return count === 3 ? '%b' : count === 4 ? '%B' : padded('m');
    case 'd': return padded('d');
    case 'H': return padded('H');
    case 'h': return padded('I');
    case 'm': return padded('M');
    case 's': return padded('S');
    case 'S': return count === 3 ? '%g' : count === 6 ? '%f' : undefined;
    case 'a': return count === 1 ? '%p' : undefined;
    case 'E': return count <= 3 ? '%a' : count === 4 ? '%A' : undefined;
    default: return undefined;
  }
}

/** A Spark date_format pattern as a DuckDB strftime format. */
export function strftimeFormat(pattern: string): string {
  return pieces(pattern)
    .map((p) => {
      if ('text' in p) return p.text.replaceAll('%', '%%');
      const spec = formatSpec(p.letter, p.count);
      if (!spec) throw refuse(pattern, p.letter.repeat(p.count), 'date_format');
      return spec;
    })
    .join('');
}

/** strptime conversions for letter runs (Spark parsing), with the input each accepts. */
function parseSpec(letter: string, count: number): { spec: string; regex: string } | undefined {
  const numeric = (spec: string) => (count === 1 ? { spec, regex: '[0-9]{1,2}' } : count === 2 ? { spec, regex: '[0-9]{2}' } : undefined);
  switch (letter) {
    case 'y': return count === 4 ? { spec: '%Y', regex: '[0-9]{4}' } : undefined;
    case 'M': return numeric('%m');
    case 'd': return numeric('%d');
    case 'H': return numeric('%H');
    case 'm': return numeric('%M');
    case 's': return numeric('%S');
    case 'S': return count === 3 ? { spec: '%g', regex: '[0-9]{3}' } : count === 6 ? { spec: '%f', regex: '[0-9]{6}' } : undefined;
    default: return undefined;
  }
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A Spark to_date / to_timestamp pattern as a DuckDB strptime format, and a regular expression
 * the whole input must match (Spark's fixed-width fields: `MM` takes exactly two digits where
 * strptime would also take one).
 */
export function strptimeFormat(pattern: string, use: string): { format: string; regex: string } {
  let format = '';
  let regex = '';
  for (const p of pieces(pattern)) {
    if ('text' in p) {
      format += p.text.replaceAll('%', '%%');
      regex += escapeRegex(p.text);
      continue;
    }
    const spec = parseSpec(p.letter, p.count);
    if (!spec) throw refuse(pattern, p.letter.repeat(p.count), use);
    format += spec.spec;
    regex += spec.regex;
  }
  return { format, regex };
}
