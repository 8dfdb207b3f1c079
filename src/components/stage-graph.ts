/**
 * The pipeline's stage graph, drawn as SVG from the manifest's lineage: a stage depends on another when
 * one of its output tables was computed from one of the other's. Stages are laid out left to right by
 * depth (longest path from the raw files).
 */
import {svg} from "htl";

export interface ManifestLike {
  tables: Record<string, {name: string; stage: string; published: boolean; rows: number; inputs: {name: string}[]}>;
  runs: {stages: {name: string; status: string; durationMs: number}[]}[];
}

export interface StageNode {
  name: string;
  outputs: string[];
  depth: number;
  status?: string;
  durationMs?: number;
}

export const RAW_FILES = "raw files";

export function stageGraph(manifest: ManifestLike): {nodes: StageNode[]; edges: [string, string][]} {
  const stageOf = new Map(Object.values(manifest.tables).map((table) => [table.name, table.stage]));
  const outputs = new Map<string, string[]>([[RAW_FILES, []]]);
  const edges = new Set<string>();
  for (const table of Object.values(manifest.tables)) {
    if (!outputs.has(table.stage)) outputs.set(table.stage, []);
    if (table.published) outputs.get(table.stage)!.push(table.name);
    const upstream = table.inputs.map((input) => stageOf.get(input.name)).filter((stage): stage is string => !!stage && stage !== table.stage);
    if (table.inputs.length === 0 && table.stage === "ingest") upstream.push(RAW_FILES);
    for (const from of upstream) edges.add(`${from}\u0000${table.stage}`);
  }
  const edgeList = [...edges].map((edge) => edge.split("\u0000") as [string, string]);
  const depth = new Map<string, number>();
  const depthOf = (stage: string, seen = new Set<string>()): number => {
    if (depth.has(stage)) return depth.get(stage)!;
    if (seen.has(stage)) return 0; // a cycle would be a pipeline bug; do not loop forever drawing it
    seen.add(stage);
    const parents = edgeList.filter(([, to]) => to === stage).map(([from]) => from);
    const value = parents.length ? 1 + Math.max(...parents.map((parent) => depthOf(parent, seen))) : 0;
    depth.set(stage, value);
    return value;
  };
  const last = new Map((manifest.runs[0]?.stages ?? []).map((stage) => [stage.name, stage]));
  const nodes = [...outputs].map(([name, tables]) => ({
    name,
    outputs: tables.sort(),
    depth: depthOf(name),
    status: last.get(name)?.status,
    durationMs: last.get(name)?.durationMs
  }));
  return {nodes, edges: edgeList};
}

/** The graph as an SVG picture: one box per stage (its outputs listed), arrows between dependent stages. */
export function stageGraphChart(graph: {nodes: StageNode[]; edges: [string, string][]}, {width}: {width: number}): SVGSVGElement {
  const layers = Math.max(...graph.nodes.map((node) => node.depth)) + 1;
  const byLayer = Array.from({length: layers}, (_, depth) => graph.nodes.filter((node) => node.depth === depth).sort((a, b) => a.name.localeCompare(b.name)));
  const boxWidth = Math.max(110, Math.min(190, width / layers - 40));
  const lineHeight = 15;
  const boxHeight = (node: StageNode) => 38 + lineHeight * node.outputs.length;
  const columnGap = layers > 1 ? (width - boxWidth * layers) / (layers - 1) : 0;
  const position = new Map<string, {x: number; y: number; h: number}>();
  let height = 0;
  byLayer.forEach((nodes, depth) => {
    let y = 10;
    for (const node of nodes) {
      position.set(node.name, {x: depth * (boxWidth + columnGap), y, h: boxHeight(node)});
      y += boxHeight(node) + 20;
    }
    height = Math.max(height, y);
  });
  const seconds = (ms?: number) => (ms === undefined ? "" : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
  return svg`<svg class="stage-graph" width=${width} height=${height} viewBox="0 0 ${width} ${height}" role="img" aria-label="Pipeline stage graph" style="max-width:100%;height:auto;font:12px var(--sans-serif)">
    <defs><marker id="stage-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="currentColor"/></marker></defs>
    ${graph.edges.map(([from, to]) => {
      const a = position.get(from)!;
      const b = position.get(to)!;
      const x1 = a.x + boxWidth,
        y1 = a.y + 19,
        x2 = b.x,
        y2 = b.y + 19,
        mid = (x1 + x2) / 2;
      return svg`<path d="M${x1},${y1}C${mid},${y1} ${mid},${y2} ${x2},${y2}" fill="none" stroke="currentColor" stroke-opacity="0.5" marker-end="url(#stage-arrow)"/>`;
    })}
    ${graph.nodes.map((node) => {
      const {x, y, h} = position.get(node.name)!;
      const fill =
        node.status === "failed" ? "var(--theme-red)" : node.name === RAW_FILES ? "var(--theme-foreground-faintest)" : "var(--theme-foreground-focus)";
      return svg`<g data-stage=${node.name} transform="translate(${x},${y})">
        <rect width=${boxWidth} height=${h} rx="6" fill="var(--theme-background)" />
        <rect width=${boxWidth} height=${h} rx="6" fill=${fill} fill-opacity="0.12" stroke=${fill} />
        <text x="8" y="16" font-weight="bold" fill="currentColor">${node.name}</text>
        <text x="8" y="31" fill="currentColor" fill-opacity="0.7">${node.status ? `${node.status} ${seconds(node.durationMs)}` : node.name === RAW_FILES ? "data/raw/**/*.csv(.gz)" : ""}</text>
        ${node.outputs.map((output, i) => svg`<text x="14" y=${48 + i * lineHeight} fill="currentColor">→ ${output}</text>`)}
      </g>`;
    })}
  </svg>`;
}
