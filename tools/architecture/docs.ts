import type { ICruiseResult, IDependency, IViolation } from 'dependency-cruiser';
import config, { layers, portModule } from '../../.dependency-cruiser.js';
import { sameViolation } from './cruise';
import { typeOnlyJustifications } from './justifications';

/** The folder a module is drawn in: lib/<folder>, functions/<fn>, infra, local (other folders are not drawn). */
export function folderOf(path: string): string | undefined {
  const match = /^(lib\/[^/]+|functions\/[^/]+|infra|local)\//.exec(path);
  return match?.[1];
}

function layerOf(path: string): string {
  return layers.find((layer) => new RegExp(layer.where).test(path))?.name ?? 'other';
}

interface Edge {
  from: string;
  to: string;
  /** At least one import behind the edge is a known violation. */
  known: boolean;
}

function isKnown(from: string, dependency: IDependency, baseline: readonly IViolation[]): boolean {
  return (dependency.rules ?? []).some((rule) =>
    baseline.some((known) =>
      sameViolation(known, {
        from,
        to: dependency.resolved,
        rule,
        ...(dependency.cycle ? { cycle: dependency.cycle } : {}),
      }),
    ),
  );
}

function folderEdges(result: ICruiseResult, baseline: readonly IViolation[]): Edge[] {
  const edges = new Map<string, Edge>();
  for (const module of result.modules) {
    const from = folderOf(module.source);
    if (!from) continue;
    for (const dependency of module.dependencies) {
      const to = folderOf(dependency.resolved);
      if (!to || to === from) continue;
      const key = `${from} ${to}`;
      const edge = edges.get(key) ?? { from, to, known: false };
      edge.known ||= !dependency.valid && isKnown(module.source, dependency, baseline);
      edges.set(key, edge);
    }
  }
  return [...edges.values()].sort((a, b) => `${a.from} ${a.to}`.localeCompare(`${b.from} ${b.to}`));
}

const nodeId = (folder: string): string => folder.replace(/[^a-zA-Z0-9]/g, '_');

function mermaidGraph(edges: readonly Edge[]): string[] {
  const folders = [...new Set(edges.flatMap((edge) => [edge.from, edge.to]))].sort();
  const lines = ['```mermaid', 'flowchart LR'];
  for (const layer of layers) {
    const members = folders.filter((folder) => layerOf(`${folder}/`) === layer.name);
    if (members.length === 0) continue;
    lines.push(`  subgraph layer_${nodeId(layer.name)}["${layer.name}"]`);
    for (const folder of members) lines.push(`    ${nodeId(folder)}["${folder}"]`);
    lines.push('  end');
  }
  edges.forEach((edge) => {
    lines.push(`  ${nodeId(edge.from)} ${edge.known ? '-.->' : '-->'} ${nodeId(edge.to)}`);
  });
  const knownIndexes = edges.flatMap((edge, index) => (edge.known ? [index] : []));
  if (knownIndexes.length > 0)
    lines.push(`  linkStyle ${knownIndexes.join(',')} stroke:#d33,stroke-dasharray:4`);
  lines.push('```');
  return lines;
}

/** A pipe inside a table cell must be escaped, code spans included. */
const cell = (text: string): string => text.replaceAll('|', '\\|');

function layerTable(): string[] {
  return [
    '| layer | where (path pattern) | holds | may import |',
    '|---|---|---|---|',
    ...layers.map(
      (layer) => `| ${layer.name} | \`${cell(layer.where)}\` | ${layer.holds} | ${layer.mayImport} |`,
    ),
  ];
}

function ruleList(): string[] {
  return (config.forbidden ?? []).map((rule) => `- \`${rule.name}\` — ${rule.comment ?? ''}`);
}

interface TypeOnlyImport {
  from: string;
  to: string;
  allowed: boolean;
}

/** Type-only imports across the adapter boundary, in either direction. */
function typeOnlyAcrossAdapters(result: ICruiseResult): TypeOnlyImport[] {
  const found: TypeOnlyImport[] = [];
  for (const module of result.modules) {
    const fromAdapter = module.source.startsWith('lib/aws/');
    for (const dependency of module.dependencies) {
      if (!dependency.dependencyTypes.includes('type-only') || !dependency.resolved.startsWith('lib/'))
        continue;
      const toAdapter = dependency.resolved.startsWith('lib/aws/');
      const toUseCase = layerOf(dependency.resolved) === 'use cases';
      if ((fromAdapter && toUseCase) || (!fromAdapter && module.source.startsWith('lib/') && toAdapter)) {
        found.push({ from: module.source, to: dependency.resolved, allowed: dependency.valid });
      }
    }
  }
  return found.sort((a, b) => `${a.from} ${a.to}`.localeCompare(`${b.from} ${b.to}`));
}

function typeOnlyList(result: ICruiseResult): string[] {
  const imports = typeOnlyAcrossAdapters(result);
  if (imports.length === 0) return ['None.'];
  return [
    '| from | to | status | why |',
    '|---|---|---|---|',
    ...imports.map(({ from, to, allowed }) => {
      const why =
        typeOnlyJustifications[`${from} → ${to}`] ??
        '_to be justified (tools/architecture/justifications.ts)_';
      return `| \`${from}\` | \`${to}\` | ${allowed ? 'allowed' : 'known violation'} | ${why} |`;
    }),
  ];
}

export function renderArchitectureDocs(result: ICruiseResult, baseline: readonly IViolation[]): string {
  const edges = folderEdges(result, baseline);
  return [
    '# Architecture: layers and the dependency rule',
    '',
    '<!-- Generated by `npm run docs:architecture` from .dependency-cruiser.js and the import graph; do not edit. -->',
    '',
    'The intended shape is described in the architecture guide; this page is what the code is, checked by',
    '`npm run lint` (Biome, then dependency-cruiser). Known violations are frozen in',
    '`.dependency-cruiser-known-violations.json`: `npm run lint` ignores them and fails on any other, and',
    '`npm run lint:architecture:baseline` can only remove entries from that file (a test fails while a fixed',
    `one is still listed). Today it holds ${baseline.length} known violations.`,
    '',
    '## Layers',
    '',
    ...layerTable(),
    '',
    'A use case’s **port and record modules** — the only files of a use case an adapter may import — are',
    `recognised by name: \`${portModule}\` (\`ports.ts\`, \`<name>-ports.ts\`, \`types.ts\`, \`<name>-types.ts\`,`,
    'and `messages.ts` for queue message records).',
    '',
    '## Rules',
    '',
    ...ruleList(),
    '',
    'Functions are also held to Biome’s `noExcessiveLinesPerFunction` (80 lines) and',
    '`noExcessiveCognitiveComplexity` (15) in `lib/`, `functions/`, `infra/`, `local/` and `tools/`; files that',
    'break them today are listed as exceptions in `biome.json`, and a test fails while a fixed one is listed.',
    '',
    '## Folder graph',
    '',
    'An arrow is “imports”; a dashed red arrow carries at least one known violation.',
    '',
    ...mermaidGraph(edges),
    '',
    '## Type-only imports across the adapter boundary',
    '',
    'Imports of types only between `lib/aws/` and the use cases, either way. An adapter may import a use',
    'case’s port and record modules; every other entry is a known violation, to be replaced by a port or by',
    'moving the record shape — each says why it exists until then.',
    '',
    ...typeOnlyList(result),
    '',
  ].join('\n');
}
