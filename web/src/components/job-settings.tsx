import { useState } from 'react';
import { stringify } from 'yaml';
import { TAG_PROJECT, TAG_RESOURCE } from '../../../src/api/ownership.js';
import type { Job } from '../api.js';

/** The job's settings as JSON or YAML, and which brickyard project/target manages it. */
export function JobSettingsView({ job }: { job: Job }) {
  const [format, setFormat] = useState<'json' | 'yaml'>('yaml');
  const tags = job.settings?.tags ?? {};
  const project = tags[TAG_PROJECT];
  const text = format === 'json' ? JSON.stringify(job.settings ?? {}, null, 2) : stringify(job.settings ?? {});
  return (
    <div>
      <p data-testid="managed-by">
        {project ? <>Managed by brickyard project <code>{project}</code>, resource <code>{tags[TAG_RESOURCE] ?? '?'}</code>: edits here are overwritten by the next deploy.</> : 'Not managed by a brickyard project.'}
      </p>
      <div role="radiogroup" aria-label="settings format">
        {(['yaml', 'json'] as const).map((f) => (
          <label key={f}>
            <input type="radio" name="settings-format" checked={format === f} onChange={() => setFormat(f)} /> {f.toUpperCase()}
          </label>
        ))}
      </div>
      <pre data-testid="settings-text">{text}</pre>
    </div>
  );
}
