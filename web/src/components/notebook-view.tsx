import { Markdown } from './markdown.js';

/** The parts of an .ipynb document the viewer reads. */
interface IpynbOutput {
  output_type?: string;
  text?: string | string[];
  data?: Record<string, string | string[] | undefined>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
interface IpynbCell {
  cell_type?: string;
  source?: string | string[];
  outputs?: IpynbOutput[];
}
export interface Ipynb {
  cells?: IpynbCell[];
  metadata?: { language_info?: { name?: string } };
}

const joined = (v: string | string[] | undefined): string => (Array.isArray(v) ? v.join('') : (v ?? ''));
// tracebacks carry terminal colour codes
const ANSI = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');

function Output({ output }: { output: IpynbOutput }) {
  if (output.output_type === 'stream') return <pre className="cell-output">{joined(output.text)}</pre>;
  if (output.output_type === 'error') return <pre className="cell-output error">{(output.traceback ?? [`${output.ename}: ${output.evalue}`]).join('\n').replace(ANSI, '')}</pre>;
  const data = output.data ?? {};
  const png = joined(data['image/png']);
  if (png) return <img className="cell-output" alt="cell output" src={`data:image/png;base64,${png.replace(/\s/g, '')}`} />;
  // HTML outputs are shown as their text form: rendering notebook HTML would let it run script here
  const text = joined(data['text/plain']);
  return text ? <pre className="cell-output">{text}</pre> : null;
}

/** A notebook rendered: markdown cells as text, code cells with their outputs. */
export function NotebookView({ notebook }: { notebook: Ipynb }) {
  const cells = notebook.cells ?? [];
  return (
    <div className="notebook" data-testid="notebook">
      {cells.length === 0 && <p className="muted">This notebook has no cells.</p>}
      {cells.map((cell, i) =>
        cell.cell_type === 'markdown' ? (
          <div className="cell markdown-cell" key={i}><Markdown text={joined(cell.source)} /></div>
        ) : (
          <div className="cell code-cell" key={i}>
            <pre className="cell-source">{joined(cell.source)}</pre>
            {(cell.outputs ?? []).map((o, k) => <Output key={k} output={o} />)}
          </div>
        ),
      )}
    </div>
  );
}
