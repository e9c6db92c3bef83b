import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycle, groupGraph, importGraph, layerViolations, sourceFiles, specifiersOf, type Graph } from './import-graph.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The layers, lowest first (CONTRIBUTING.md): a layer imports only from layers before it, type imports included.
 * `errors` is src/errors.ts; `cli` is src/cli.ts and src/cli/; suites/ and reporters/ sit above the tool.
 */
const LAYERS = ['errors', 'spec', 'core', 'generate', 'http', 'checks', 'providers', 'run', 'report', 'app', 'replay', 'cli', 'suites', 'reporters'] as const;

function layerOf(file: string): string | undefined {
  const parts = file.split('/');
  if (parts[0] === 'suites' || parts[0] === 'reporters' || parts[0] === 'fixtures') return parts[0];
  if (parts[0] !== 'src') return undefined;
  if (file === 'src/errors.ts') return 'errors';
  if (file === 'src/cli.ts') return 'cli';
  return parts.length > 2 ? parts[1] : file;
}

const edgesOf = (graph: Graph) => [...graph].flatMap(([from, targets]) => targets.map((to) => `${from} -> ${to}`));

describe('the import graph of src/, fixtures/, suites/ and reporters/', () => {
  const files = sourceFiles(ROOT, ['src', 'fixtures', 'suites', 'reporters']);
  const graph = importGraph(ROOT, files);
  const edges = edgesOf(graph);

  it('is read whole: type-only imports and re-exports and dynamic imports are edges', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges).toContain('src/providers/types.ts -> src/core/profile.ts'); // export type { ... } from
    expect(edges).toContain('src/providers/redis-enterprise.ts -> fixtures/redis-enterprise/server.ts'); // await import(...)
  });

  it('has no cycle between files', () => {
    const cycle = findCycle(graph);
    expect(cycle && `import cycle: ${cycle.join(' -> ')}`).toBeUndefined();
  });

  it('places every folder of src/ in the layer order', () => {
    const unplaced = [...new Set(files.map(layerOf))].filter((l): l is string => l !== undefined && l !== 'fixtures' && !(LAYERS as readonly string[]).includes(l));
    expect(unplaced, 'add each new folder of src/ to LAYERS here and to the table in CONTRIBUTING.md').toEqual([]);
  });

  it('has no cycle between the folders of src/', () => {
    const folders = groupGraph(graph, (f) => (f.startsWith('src/') ? layerOf(f) : undefined));
    const cycle = findCycle(folders);
    expect(cycle && `folder cycle: ${cycle.join(' -> ')}`).toBeUndefined();
  });

  it('imports only downwards through the layers', () => {
    const broken = layerViolations(graph, layerOf, LAYERS);
    expect(broken, 'a layer imported a layer above it (see CONTRIBUTING.md)').toEqual([]);
  });

  it('keeps the fixtures apart from the tool: fixtures/ import nothing from src/, and only core and providers import fixtures/', () => {
    expect(edges.filter((e) => e.startsWith('fixtures/') && e.includes(' -> src/'))).toEqual([]);
    expect(edges.filter((e) => e.includes(' -> fixtures/') && !/^(src\/core|src\/providers|fixtures)\//.test(e))).toEqual([]);
  });

  it('keeps the suites and reporters off the CLI entry file', () => {
    expect(edges.filter((e) => /^(suites|reporters)\//.test(e) && e.endsWith(' -> src/cli.ts'))).toEqual([]);
  });
});

describe('the import graph helpers', () => {
  it('read every kind of import', () => {
    const source = [
      "import a from './a.ts';",
      "import type { B } from './b.ts';",
      "export type { C } from './c.ts';",
      "export * from './d.ts';",
      "import './e.ts';",
      "const f = await import('./f.ts');",
      "// import g from './g.ts';",
      "const h = \"import h from './h.ts'\";",
    ].join('\n');
    expect(specifiersOf(source).sort()).toEqual(['./a.ts', './b.ts', './c.ts', './d.ts', './e.ts', './f.ts']);
  });

  it('find a crafted cycle and name its path, and none in an acyclic graph', () => {
    const cyclic: Graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ]);
    expect(findCycle(cyclic)).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toBeUndefined();
  });

  it('find a folder cycle that no file cycle shows, unless its edge is skipped', () => {
    // run/x imports report/y, report/z imports run/w: no file cycle, but the folders run and report import each other.
    const files: Graph = new Map([
      ['src/run/x.ts', ['src/report/y.ts']],
      ['src/report/y.ts', []],
      ['src/report/z.ts', ['src/run/w.ts']],
      ['src/run/w.ts', []],
    ]);
    expect(findCycle(files)).toBeUndefined();
    const folderOf = (f: string) => f.split('/')[1];
    expect(findCycle(groupGraph(files, folderOf))).toEqual(['report', 'run', 'report']);
    expect(findCycle(groupGraph(files, folderOf, (from) => from === 'src/run/x.ts'))).toBeUndefined();
  });

  it('report an upward import against the layer order, and accept a downward one', () => {
    const files: Graph = new Map([
      ['src/http/curl.ts', ['src/report/redact.ts', 'src/core/http.ts']],
      ['src/report/model.ts', ['src/http/curl.ts']],
    ]);
    const folderOf = (f: string) => f.split('/')[1];
    expect(layerViolations(files, folderOf, ['core', 'http', 'report'])).toEqual(['src/http/curl.ts -> src/report/redact.ts (http may not import report: report is above it)']);
    expect(layerViolations(new Map([['src/report/model.ts', ['src/http/curl.ts']]]), folderOf, ['core', 'http', 'report'])).toEqual([]);
  });
});
