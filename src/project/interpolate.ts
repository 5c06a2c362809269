/**
 * `${...}` references in databricks.yml.
 *
 * Supported: `${var.<name>}` (also `${var.<name>.field}` / `[i]` into complex values),
 * `${bundle.name}`, `${bundle.target}` (alias `${bundle.environment}`), `${bundle.git.branch}`,
 * `${workspace.root_path}`, `${workspace.file_path}`, `${workspace.host}`, `${workspace.profile}`,
 * `${workspace.current_user.userName}`, `${workspace.current_user.short_name}`.
 * `${resources.jobs.<key>.id}` and other `${resources...}` are deploy-time references: they are kept
 * as is (the job key must exist). Unknown `${workspace.current_user.*}` fields and the current user
 * when it is not known offline are kept as placeholders, without a diagnostic.
 *
 * Variable values, highest precedence first: `--var name=value`, env `BUNDLE_VAR_<name>`, the
 * selected target's `variables.<name>`, the top-level `default`.
 */
import {
  didYouMean,
  DiagnosticCode,
  formatPath,
  joinPath,
  makeDiagnostic,
  type Diagnostic,
  type PathSegment,
  type SourcePos,
} from './diagnostics.js';
import { cloneLocated, containerPos, entryPos, isPlainObject } from './source.js';

export interface RefScope {
  bundleName: string;
  target: string;
  gitBranch: string | null;
  /** may itself contain placeholders while the current user is unknown */
  rootPath: string;
  filePath: string;
  host?: string;
  profile?: string;
  userName?: string;
  shortName?: string;
  jobKeys: ReadonlySet<string>;
}

export type VarSource = 'flag' | 'env' | 'target' | 'default';

export interface VarEntry {
  name: string;
  /** raw value (may contain references); undefined = no value from any source */
  value: unknown;
  source: VarSource | undefined;
  /** where the variable is declared (or where its value comes from) */
  pos: SourcePos;
}

const REF = /\$\{([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*)\}/g;
const WHOLE_REF = /^\$\{([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*)\}$/;

/** `a.b[0].c` → ['a','b',0,'c'] */
function splitRef(ref: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const m of ref.matchAll(/([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
  }
  return out;
}

function dig(value: unknown, segs: readonly PathSegment[]): { found: boolean; value: unknown } {
  let cur = value;
  for (const s of segs) {
    if (Array.isArray(cur) && typeof s === 'number' && s < cur.length) cur = cur[s];
    else if (isPlainObject(cur) && typeof s === 'string' && s in cur) cur = cur[s];
    else return { found: false, value: undefined };
  }
  return { found: true, value: cur };
}

/** Marker for "keep the reference text as it is". */
const KEEP = Symbol('keep');

interface Where {
  pos: SourcePos;
  path: string;
}

export class Interpolator {
  readonly diagnostics: Diagnostic[] = [];
  private readonly resolved = new Map<string, unknown>();
  private readonly resolving: string[] = [];

  constructor(
    private readonly scope: RefScope,
    private readonly vars: ReadonlyMap<string, VarEntry>,
  ) {}

  private report(code: Diagnostic['code'], where: Where, message: string, hint: string, severity: 'error' | 'warning' = 'error') {
    this.diagnostics.push(makeDiagnostic(severity, code, where.pos, where.path, message, hint));
  }

  /** Value of a variable with its own references resolved; undefined when it has no value. */
  varValue(name: string): unknown {
    if (this.resolved.has(name)) return this.resolved.get(name);
    const entry = this.vars.get(name);
    if (entry === undefined || entry.value === undefined) return undefined;
    if (this.resolving.includes(name)) {
      const loop = [...this.resolving.slice(this.resolving.indexOf(name)), name].join(' → ');
      this.report(DiagnosticCode.varCycle, { pos: entry.pos, path: `variables.${name}` }, `variables reference each other in a loop: ${loop}`, 'break the loop by giving one of them a literal value');
      this.resolved.set(name, undefined);
      return undefined;
    }
    this.resolving.push(name);
    const value = this.interpolateValue(cloneLocated(entry.value), { pos: entry.pos, path: `variables.${name}` });
    this.resolving.pop();
    this.resolved.set(name, value);
    return value;
  }

  private lookup(ref: string, where: Where): unknown {
    const segs = splitRef(ref);
    const [root, first, ...rest] = segs;
    const s = this.scope;
    const unknown = (hint: string) => {
      this.report(DiagnosticCode.refUnknown, where, `unknown reference \${${ref}}`, hint);
      return KEEP;
    };
    switch (root) {
      case 'var': {
        if (typeof first !== 'string') return unknown('write ${var.<name>}');
        if (!this.vars.has(first)) {
          const dym = didYouMean(first, this.vars.keys());
          this.report(DiagnosticCode.varUndefined, where, `variable '${first}' is not declared`, dym || `declare it under variables.${first}`);
          return KEEP;
        }
        const v = this.varValue(first);
        if (v === undefined) return KEEP; // reported once at the declaration (BY_VAR_UNSET)
        const d = dig(v, rest);
        return d.found ? d.value : unknown(`variable '${first}' has no field ${formatPath(rest)}`);
      }
      case 'bundle':
        if (first === 'name' && rest.length === 0) return s.bundleName;
        if ((first === 'target' || first === 'environment') && rest.length === 0) return s.target;
        if (first === 'git' && rest.length === 1 && rest[0] === 'branch') return s.gitBranch ?? KEEP;
        return unknown('known: ${bundle.name}, ${bundle.target}, ${bundle.git.branch}');
      case 'workspace': {
        if (first === 'current_user') {
          if (rest.length === 1 && rest[0] === 'userName' && s.userName !== undefined) return s.userName;
          if (rest.length === 1 && rest[0] === 'short_name' && s.shortName !== undefined) return s.shortName;
          return KEEP; // filled in at deploy time
        }
        if (rest.length === 0) {
          if (first === 'root_path') return s.rootPath;
          if (first === 'file_path') return s.filePath;
          if (first === 'host') return s.host ?? KEEP;
          if (first === 'profile') return s.profile ?? KEEP;
        }
        return unknown('known: ${workspace.root_path}, ${workspace.file_path}, ${workspace.host}, ${workspace.current_user.userName}, ${workspace.current_user.short_name}');
      }
      case 'resources':
        if (first === 'jobs' && typeof rest[0] === 'string' && !s.jobKeys.has(rest[0])) {
          const dym = didYouMean(rest[0], s.jobKeys);
          this.report(DiagnosticCode.refUnknown, where, `\${${ref}} refers to a job that is not defined`, dym || 'define the job under resources.jobs');
        }
        return KEEP; // resolved at deploy time
      case 'user':
        // a personal schema's own user (resources.user_schemas grants), filled in per schema by the planner
        if (first === undefined) return KEEP;
        return unknown('${user} takes no fields');
      default:
        return unknown('known prefixes: var, bundle, workspace, resources');
    }
  }

  /** Interpolate one string. A string that is exactly one reference takes the referenced value as is. */
  interpolateString(text: string, where: Where): unknown {
    if (!text.includes('${')) return text;
    const whole = WHOLE_REF.exec(text);
    if (whole?.[1] !== undefined) {
      const v = this.lookup(whole[1], where);
      return v === KEEP ? text : cloneLocated(v);
    }
    return text.replace(REF, (match, ref: string) => {
      const v = this.lookup(ref, where);
      if (v === KEEP) return match;
      if (v === null || typeof v === 'object') {
        this.report(DiagnosticCode.varType, where, `\${${ref}} is a complex value and cannot be part of a string`, 'use the reference as the whole value, or pick a field of it');
        return match;
      }
      return String(v);
    });
  }

  /** Interpolate a located value; containers are edited in place, positions are kept. */
  interpolateValue(value: unknown, where: Where): unknown {
    if (typeof value === 'string') return this.interpolateString(value, where);
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        value[i] = this.interpolateValue(v, childWhere(value, i, where));
      });
    } else if (isPlainObject(value)) {
      for (const [k, v] of Object.entries(value)) value[k] = this.interpolateValue(v, childWhere(value, k, where));
    }
    return value;
  }
}

function childWhere(container: unknown, key: PathSegment, parent: Where): Where {
  const e = entryPos(container, key);
  const pos = e?.value ?? containerPos(container) ?? parent.pos;
  return { pos, path: joinPath(parent.path, formatPath([key])) };
}

/** DABs' short user name: the e-mail's local part, lower-cased, other characters → '_'. */
export function shortUserName(userName: string): string {
  const local = userName.includes('@') ? userName.slice(0, userName.indexOf('@')) : userName;
  return local.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
