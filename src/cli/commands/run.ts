import type { RunOutput } from '../../api/cli-project-output.js';
import { ExitCode } from '../../core/errors.js';
import type { ResolvedProject } from '../../project/index.js';
import { defineCommand, type CliIO } from '../command.js';
import { PROJECT_USAGE, projectOptions, remoteOptions } from './shared/options.js';

export const runCommand = defineCommand({
  path: ['run'],
  summary: 'run a job now and follow it task by task',
  usage: [
    'brickyard run JOB [--param k=v]... [--no-wait] [--timeout DURATION] [--profile P] [project options]',
    PROJECT_USAGE,
    'Exit 0 when the run ends SUCCESS, 1 when it ends FAILED/TIMEDOUT/CANCELED/SKIPPED (or --timeout passes:',
    'the run is cancelled), 130 on Ctrl-C (at a terminal you are asked whether to cancel the run; elsewhere it is',
    'cancelled). --no-wait prints the run id and url and exits 0.',
  ].join('\n'),
  positionals: [{ name: 'job', description: 'a resource key of the project, a job name or a numeric job id' }],
  options: {
    ...projectOptions,
    ...remoteOptions,
    param: { type: 'string[]', valueName: 'NAME=VALUE', description: 'a job parameter (or notebook parameter when the job defines none) for this run' },
    'no-wait': { type: 'boolean', description: 'print the run id and url and exit 0 without following the run' },
    timeout: { type: 'string', valueName: 'DURATION', description: 'cancel the run and exit 1 when it is still running after this long (90s, 10m, 1h30m)', defaultText: 'no limit' },
  },
  async run({ options, positionals, io, json }) {
    const { callRemote } = await import('../../client/connect.js');
    const { systemClock } = await import('../../core/clock.js');
    const { getJob, jobUrl } = await import('../../deploy/remote-jobs.js');
    const { resolveJob } = await import('../../deploy/resolve-job.js');
    const { fmtSeconds, monitorRun, runSucceeded } = await import('../../deploy/run-monitor.js');
    const { parseParams, routeParams } = await import('../../deploy/run-params.js');
    const { toJson } = await import('../../deploy/settings.js');
    const { parseDuration } = await import('./shared/duration.js');
    const { connectFor } = await import('./shared/connect-for.js');
    const { openProject } = await import('./shared/online.js');
    const { hasProject } = await import('./shared/project.js');
    const ref = positionals.job;
    const params = parseParams(options.param);
    const timeoutText = options.timeout;
    const timeoutMs = timeoutText !== undefined ? parseDuration(timeoutText, '--timeout') : undefined;
    let project: ResolvedProject | undefined;
    let remote;
    if (hasProject(io, options)) ({ remote, project } = await openProject(io, options, json));
    else remote = await connectFor(io, options);

    const job = await resolveJob(remote, ref, project);
    const full = await getJob(remote, job.jobId);
    const routed = routeParams(job.name, toJson(full.settings ?? {}), params);
    const started = await callRemote(() => remote.w.jobs.runNow({ job_id: job.jobId, ...routed }), `starting job ${job.name}`);
    const runId = Number(started.run_id);
    const url = `${jobUrl(remote.host, job.jobId)}/run/${runId}`;
    const say = (line: string) => (json ? undefined : io.stdout(line + '\n'));
    say(`started run ${runId} of ${job.name} (job ${job.jobId}) ${url}`);
    if (options['no-wait']) {
      if (json) io.stdout(JSON.stringify({ ok: true, job_id: job.jobId, run_id: runId, url } satisfies RunOutput) + '\n');
      return ExitCode.ok;
    }

    const outcome = await monitorRun(remote, runId, { clock: systemClock, interrupted: io.interrupted, out: say, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
    const notice = json ? io.stderr : io.stdout;
    if (outcome.ended === 'interrupted' && !(await confirmCancel(io, runId))) {
      notice(`interrupted: run ${runId} keeps running ${url}\n`);
      if (json) io.stdout(JSON.stringify({ ok: false, job_id: job.jobId, url, detached: true, ...outcome } satisfies RunOutput) + '\n');
      return ExitCode.interrupted;
    }
    if (outcome.ended !== 'finished') {
      // without an answer from a person, Ctrl-C and --timeout cancel the run: nothing is left running unattended
      const why = outcome.ended === 'interrupted' ? 'interrupted' : `--timeout ${timeoutText} passed`;
      notice(`${why}: cancelling run ${runId}\n`);
      await callRemote(() => remote.w.jobs.cancelRun({ run_id: runId }), `cancelling run ${runId}`);
    }
    const ok = runSucceeded(outcome);
    if (json) io.stdout(JSON.stringify({ ok, job_id: job.jobId, url, ...outcome } satisfies RunOutput) + '\n');
    else if (outcome.ended === 'finished') {
      const result = [outcome.lifeCycleState, outcome.resultState].filter(Boolean).join(' ');
      say(`run ${runId} ${result}${outcome.durationMs !== undefined ? ` in ${fmtSeconds(outcome.durationMs)}` : ''}${outcome.stateMessage && !ok ? ` — ${outcome.stateMessage}` : ''}`);
    }
    if (outcome.ended === 'interrupted') return ExitCode.interrupted;
    return ok ? ExitCode.ok : ExitCode.failure;
  },
});

/**
 * Ctrl-C at a terminal asks whether to cancel the run (Enter = yes); elsewhere the answer is yes.
 * `ask` exists only when stdin and stderr are a terminal (bin/), so `--json | jq` still asks.
 */
async function confirmCancel(io: CliIO, runId: number): Promise<boolean> {
  if (io.ask === undefined) return true;
  const answer = (await io.ask(`\nCancel run ${runId}? [Y/n] `)).trim().toLowerCase();
  return answer === '' || answer === 'y' || answer === 'yes';
}
