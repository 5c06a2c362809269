import { useLayoutEffect, useMemo } from 'react';
import { Graph, layout } from '@dagrejs/dagre';
import type { RunTask } from '../api.js';
import { stateClass, stateLabel } from '../format.js';

const NODE_W = 170;
const NODE_H = 40;

export interface GraphLayout {
  width: number;
  height: number;
  nodes: Array<{ key: string; x: number; y: number }>;
  edges: Array<{ from: string; to: string; points: Array<{ x: number; y: number }> }>;
}

/** Lays the tasks out left to right by their `depends_on` edges (dagre's layered layout). */
export function layoutTasks(tasks: Array<[taskKey: string, dependsOn: string[]]>): GraphLayout {
  const g = new Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 48, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const keys = new Set(tasks.map(([key]) => key));
  for (const [key] of tasks) g.setNode(key, { width: NODE_W, height: NODE_H });
  for (const [key, deps] of tasks) for (const d of deps) if (keys.has(d)) g.setEdge(d, key);
  layout(g);
  const graph = g.graph();
  return {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    nodes: g.nodes().map((key) => {
      const n = g.node(key);
      return { key, x: n.x ?? 0, y: n.y ?? 0 };
    }),
    edges: g.edges().map((e) => ({ from: e.v, to: e.w, points: (g.edge(e).points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })) })),
  };
}

/** The run's task graph with each task's live state; a click (or Enter) selects a task. */
export function TaskGraph({ tasks, selected, onSelect }: { tasks: RunTask[]; selected: string | undefined; onSelect: (taskKey: string) => void }) {
  // re-laid out only when the graph's shape changes, not on every state poll
  const shapeKey = JSON.stringify(tasks.map((t) => [t.task_key, (t.depends_on ?? []).map((d) => d.task_key)]));
  const shape = useMemo(() => layoutTasks(JSON.parse(shapeKey) as Array<[string, string[]]>), [shapeKey]);
  const byKey = new Map(tasks.map((t) => [t.task_key, t]));
  // User Timing mark: the browser bench measures run data → laid-out graph in the DOM with it
  useLayoutEffect(() => void performance.mark('task-graph:rendered', { detail: { tasks: shape.nodes.length } }), [shape]);
  return (
    <div className="scroll graph" data-testid="task-graph">
      <svg width={shape.width} height={shape.height} role="img" aria-label="task graph">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#888" />
          </marker>
        </defs>
        {shape.edges.map((e) => (
          <polyline key={`${e.from}->${e.to}`} data-edge={`${e.from}->${e.to}`} points={e.points.map((p) => `${p.x},${p.y}`).join(' ')} fill="none" stroke="#888" markerEnd="url(#arrow)" />
        ))}
        {shape.nodes.map((n) => {
          const t = byKey.get(n.key);
          return (
            <g
              key={n.key}
              data-task={n.key}
              className={`node ${stateClass(t?.state)}${selected === n.key ? ' selected' : ''}`}
              transform={`translate(${n.x - NODE_W / 2},${n.y - NODE_H / 2})`}
              tabIndex={0}
              role="button"
              aria-label={`${n.key}: ${stateLabel(t?.state)}`}
              onClick={() => onSelect(n.key)}
              onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onSelect(n.key)}
            >
              <rect width={NODE_W} height={NODE_H} rx="6" />
              <text x="8" y="16">{n.key.length > 22 ? n.key.slice(0, 21) + '…' : n.key}</text>
              <text x="8" y="32" className="sub">{stateLabel(t?.state)}</text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
