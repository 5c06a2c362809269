/** Talks to duckdb-child.ts: DuckDB (default settings unless given) in a process of its own, one request at a time. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface DuckdbProcess {
  /** Runs the statements in order; answers the milliseconds they took inside the process. */
  run(sql: string[]): Promise<number>;
  /** Brickyard's upload conversion (ingestToParquet) of a CSV file, timed the same way. */
  ingest(input: string, out: string): Promise<number>;
  stop(): Promise<void>;
}

export function startDuckdbProcess(settings: Record<string, string> = {}): DuckdbProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./duckdb-child.ts', import.meta.url).pathname, JSON.stringify(settings)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ask = async (request: object): Promise<number> => {
    child.stdin.write(JSON.stringify(request) + '\n');
    const next = await answers.next();
    if (next.done === true) throw new Error('the DuckDB process exited');
    const answer = JSON.parse(next.value) as { ms?: number; error?: string };
    if (answer.error !== undefined || answer.ms === undefined) throw new Error(`DuckDB process: ${answer.error ?? 'no answer'}`);
    return answer.ms;
  };
  return {
    run: (sql) => ask({ sql }),
    ingest: (input, out) => ask({ ingest: { input, out } }),
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      await exited;
    },
  };
}
