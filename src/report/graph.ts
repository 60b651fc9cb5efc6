/**
 * The model's layer graph as an SVG diagram: node positions and edge routes
 * come from dagre (a maintained layered-graph layout library); this module
 * only draws the boxes and the routed edges. Edges into `add` / `concat`
 * nodes that skip ahead (residual and concat connections) are drawn in a
 * colour of their own so they stand out.
 */
import dagre from '@dagrejs/dagre';
import { shapeText as formatShape } from '../compiler/shared/format.js';
import { esc } from './html.js';

/** What the diagram needs of an IR node (a subset of IRNode, read from ir.json). */
export interface GraphNode {
  readonly id: string;
  readonly op: string;
  readonly inputs: readonly string[];
  readonly shape: readonly number[];
  readonly params: { readonly trainable: number; readonly nonTrainable: number };
}

const CHAR_W = 6.6;
const LINE_H = 15;

function paramText(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)} k` : String(n);
}

/** "[32×32×3]": a node's output shape in the graph. */
function shapeText(shape: readonly number[]): string {
  return `[${formatShape(shape)}]`;
}

const COLORS: Record<string, string> = { input: '#e8eef8', conv2d: '#dcebdc', dense: '#f6e3cf', add: '#f3d9e6', concat: '#f3d9e6', batch_norm: '#ecebf7', max_pool2d: '#e6f1f4', avg_pool2d: '#e6f1f4' };

/** The SVG of the graph, top to bottom. */
export function graphSvg(nodes: readonly GraphNode[], outputId?: string): string {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 30, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const rank = new Map<string, number>();
  nodes.forEach((n, i) => rank.set(n.id, i));
  for (const n of nodes) {
    const params = n.params.trainable + n.params.nonTrainable;
    const lines = [`${n.id}`, `${n.op}  ${shapeText(n.shape)}`, params > 0 ? `${paramText(params)} params` : ''].filter((l) => l);
    const width = Math.max(...lines.map((l) => l.length)) * CHAR_W + 20;
    g.setNode(n.id, { width, height: lines.length * LINE_H + 12, lines, op: n.op });
  }
  for (const n of nodes) {
    for (const [k, src] of n.inputs.entries()) {
      if (!g.hasNode(src)) continue;
      // A skip: a merge input that is not the node just before it in topological order.
      const skip = (n.op === 'add' || n.op === 'concat') && rank.get(n.id)! - rank.get(src)! > 1;
      g.setEdge(src, n.id, { skip }, `${src}->${n.id}#${k}`);
    }
  }
  dagre.layout(g);
  const gr = g.graph() as { width?: number; height?: number };
  const W = Math.ceil(gr.width ?? 100);
  const H = Math.ceil(gr.height ?? 100);
  const parts: string[] = [];
  for (const e of g.edges()) {
    const ed = g.edge(e) as { points: { x: number; y: number }[]; skip: boolean };
    const d = ed.points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    parts.push(`<path class="${ed.skip ? 'edge skip' : 'edge'}" d="${d}" fill="none" stroke="${ed.skip ? '#c2185b' : '#7a8494'}" stroke-width="${ed.skip ? 2 : 1.4}"${ed.skip ? ' stroke-dasharray="5 3"' : ''} marker-end="url(#${ed.skip ? 'arrow-skip' : 'arrow'})"/>`);
  }
  for (const id of g.nodes()) {
    const n = g.node(id) as { x: number; y: number; width: number; height: number; lines: string[]; op: string };
    const x = n.x - n.width / 2;
    const y = n.y - n.height / 2;
    const stroke = id === outputId ? '#3465a4' : '#8a93a3';
    parts.push(`<g class="node" data-id="${esc(id)}"><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${n.width.toFixed(1)}" height="${n.height}" rx="5" fill="${COLORS[n.op] ?? '#f4f4f4'}" stroke="${stroke}" stroke-width="${id === outputId ? 2 : 1}"/>`);
    n.lines.forEach((line, i) => {
      parts.push(`<text x="${n.x.toFixed(1)}" y="${(y + 6 + LINE_H * (i + 0.8)).toFixed(1)}" text-anchor="middle" font-size="${i === 0 ? 12 : 11}"${i === 0 ? ' font-weight="600"' : ' fill="#444"'}>${esc(line)}</text>`);
    });
    parts.push('</g>');
  }
  const marker = (id: string, color: string): string => `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${color}"/></marker>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="model-graph" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif"><defs>${marker('arrow', '#7a8494')}${marker('arrow-skip', '#c2185b')}</defs>${parts.join('')}</svg>`;
}
