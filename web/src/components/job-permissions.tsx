import { useState } from 'react';
import type { jobs } from '@databricks/sdk-experimental';
import { JOB_PERMISSION_LEVELS, type JobPermissionLevel } from '../../../src/api/permissions.js';
import { send } from '../api.js';
import { useAction, type Loaded } from '../hooks.js';
import { ErrorText } from './state.js';

const PRINCIPAL_KINDS = { user_name: 'user', group_name: 'group', service_principal_name: 'service principal' } as const;
type PrincipalField = keyof typeof PRINCIPAL_KINDS;

function principalOf(e: jobs.JobAccessControlResponse): string {
  return e.user_name ?? e.group_name ?? e.service_principal_name ?? '?';
}

/** The job's access control list; managers may grant a level to a user, group or service principal. */
export function JobPermissionsView({ jobId, perms, canManage }: { jobId: string; perms: Loaded<jobs.JobPermissions>; canManage: boolean }) {
  const [field, setField] = useState<PrincipalField>('user_name');
  const [name, setName] = useState('');
  const [level, setLevel] = useState<JobPermissionLevel>('CAN_VIEW');
  const action = useAction();
  return (
    <div>
      <ErrorText error={perms.error} />
      <table data-testid="job-acl">
        <thead><tr><th>Principal</th><th>Kind</th><th>Level</th><th>From</th></tr></thead>
        <tbody>
          {(perms.data?.access_control_list ?? []).flatMap((e) =>
            (e.all_permissions ?? []).map((p, i) => (
              <tr key={`${principalOf(e)}-${i}`}>
                <td>{principalOf(e)}</td>
                <td>{e.user_name ? 'user' : e.group_name ? 'group' : 'service principal'}</td>
                <td>{p.permission_level}</td>
                <td>{p.inherited ? `inherited (${(p.inherited_from_object ?? []).join(', ')})` : 'this job'}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      {canManage && (
        <form
          className="inline-form"
          aria-label="grant permission"
          onSubmit={(e) => {
            e.preventDefault();
            void action.run(async () => {
              await send('PATCH', `/api/2.0/permissions/jobs/${encodeURIComponent(jobId)}`, { access_control_list: [{ [field]: name.trim(), permission_level: level }] });
              setName('');
              perms.reload();
            });
          }}
        >
          <select aria-label="principal kind" value={field} onChange={(e) => setField(e.target.value as PrincipalField)}>
            {Object.entries(PRINCIPAL_KINDS).map(([f, label]) => <option key={f} value={f}>{label}</option>)}
          </select>
          <input aria-label="principal name" value={name} onChange={(e) => setName(e.target.value)} placeholder="name" />
          <select aria-label="permission level" value={level} onChange={(e) => setLevel(e.target.value as JobPermissionLevel)}>
            {JOB_PERMISSION_LEVELS.map((l) => <option key={l} value={l}>{l}</option>)}
          </select>
          <button type="submit" disabled={action.busy || !name.trim()}>Grant</button>
          <ErrorText error={action.error} />
        </form>
      )}
    </div>
  );
}
