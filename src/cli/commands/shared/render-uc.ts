/** Human and JSON renderings of the Unity Catalog and identity part of a plan or deploy. */
import { keptWhy } from '../../../deploy/prune.js';
import type { UcPlanJson } from '../../../api/cli-deploy-output.js';
import type { UcAction, UcPlan } from '../../../deploy/uc/index.js';

const SYMBOL: Record<UcAction['op'], string> = {
  create: '+',
  update: '~',
  skip: '=',
  reference: '=',
  deactivate: '-',
  delete: '-',
  retire: '!',
  purge: 'x',
  add_member: '+',
  remove_member: '-',
  grant: '+',
  revoke: '-',
  record: '~',
};

export function ucCounts(actions: readonly UcAction[]): Record<UcAction['op'], number> {
  const counts = Object.fromEntries(Object.keys(SYMBOL).map((k) => [k, 0])) as Record<UcAction['op'], number>;
  for (const a of actions) counts[a.op]++;
  return counts;
}

function line(a: UcAction): string | undefined {
  const s = SYMBOL[a.op];
  switch (a.op) {
    case 'skip':
    case 'record':
      return undefined;
    case 'reference':
      return `  ${s} ${a.type} ${a.name} referenced (lifecycle.mode: reference): must exist, never changed`;
    case 'add_member':
      return `  ${s} group ${a.name}: add ${a.member.kind.replace('_', ' ')} ${a.member.name}`;
    case 'remove_member':
      return `  ${s} group ${a.name}: remove ${a.member.kind.replace('_', ' ')} ${a.member.name}`;
    case 'grant':
      return `  ${s} grant ${a.privileges.join(', ')} on ${a.type} ${a.name} to ${a.principal}`;
    case 'revoke':
      return `  ${s} revoke ${a.privileges.join(', ')} on ${a.type} ${a.name} from ${a.principal}`;
    case 'purge':
      return `  ${s} purge ${a.type} ${a.name} [${a.key}] — DROPS ITS DATA (${a.why ?? '--purge-data'})`;
    default: {
      const changes = a.changes && a.changes.length > 0 ? `: ${a.changes.join(', ')}` : '';
      const why = a.why !== undefined && a.op !== 'create' ? ` — ${a.why}` : '';
      return `  ${s} ${a.op} ${a.type} ${a.name} [${a.key}]${changes}${why}`;
    }
  }
}

export function renderUcPlan(plan: UcPlan, verb: 'plan' | 'deploy' = 'plan'): string {
  const out = ['Unity Catalog and identity:'];
  for (const a of plan.actions) {
    const l = line(a);
    if (l !== undefined) out.push(l);
  }
  const c = ucCounts(plan.actions);
  if (c.skip > 0) out.push(`  = ${c.skip} unchanged`);
  if (plan.undeclared.length > 0) {
    out.push('  Grants this project did not make, left alone (grants_mode: authoritative would revoke them):');
    for (const u of plan.undeclared) out.push(`    ${u.securable.type} ${u.securable.fullName}: ${u.principal} ${u.privileges.join(', ')}`);
  }
  for (const k of plan.kept) out.push(`  = kept ${k.type.replace('_', ' ')} ${k.name} [${k.key}] — no longer declared; ${keptWhy(k.reason)}`);
  for (const n of plan.notes) out.push(`  note: ${n}`);
  const objects = `${c.create} to create, ${c.update} to update, ${c.retire} to retire, ${c.purge} to purge, ${c.deactivate} to deactivate, ${c.delete} to delete`;
  const rest = `${c.add_member} member add(s), ${c.remove_member} member removal(s), ${c.grant} grant(s), ${c.revoke} revoke(s), ${c.skip + c.reference} unchanged`;
  out.push(`${verb === 'plan' ? 'UC plan' : 'UC deploy'}: ${objects}; ${rest}.`);
  return out.join('\n') + '\n';
}

/** The plan as `--json` shows it: actions without the skipped ones, which are only counted. */
export function ucJson(plan: UcPlan): UcPlanJson {
  return {
    counts: ucCounts(plan.actions),
    actions: plan.actions.filter((a) => a.op !== 'skip'),
    undeclared_grants: plan.undeclared,
    kept: plan.kept,
    notes: plan.notes,
  } satisfies UcPlanJson;
}
