import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import ts from 'typescript';

/** A file-level import graph: repository-relative path (with '/') to the files it imports. */
export type Graph = Map<string, string[]>;

/**
 * Every module specifier a TypeScript source names: static imports and `import type`, `export ... from` (type-only
 * re-exports included), side-effect imports and dynamic `import()`. Comments and strings are not imports.
 */
export function specifiersOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** The .ts files below the given folders of `root`, as '/'-separated paths relative to it. */
export function sourceFiles(root: string, folders: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const folder of folders) if (existsSync(join(root, folder))) walk(folder);
  return out.sort();
}

/** The file graph of `files`: relative specifiers resolved (`.js` written for `.ts`, a folder's index.ts); packages left out. */
export function importGraph(root: string, files: string[]): Graph {
  const graph: Graph = new Map();
  for (const file of files) {
    const targets = new Set<string>();
    for (const specifier of specifiersOf(readFileSync(join(root, file), 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const resolved = resolve(root, join(dirname(file), specifier));
      if (resolved) targets.add(resolved);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

function resolve(root: string, path: string): string | undefined {
  const candidates = [path, path.replace(/\.js$/, '.ts'), `${path}.ts`, join(path, 'index.ts')];
  const found = candidates.find((c) => existsSync(join(root, c)) && statSync(join(root, c)).isFile());
  return found && relative(root, join(root, normalize(found))).split(sep).join('/');
}

/** A cycle of the graph as a path that ends where it starts (`a -> b -> a`), or undefined when there is none. */
export function findCycle(graph: Graph): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    if (state.has(node)) continue;
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

/** The graph between groups of files (`groupOf` names a file's group; undefined leaves the file out), without self-edges. */
export function groupGraph(graph: Graph, groupOf: (file: string) => string | undefined, skip: (from: string, to: string) => boolean = () => false): Graph {
  const groups: Graph = new Map();
  for (const [from, targets] of graph) {
    const a = groupOf(from);
    if (a === undefined) continue;
    if (!groups.has(a)) groups.set(a, []);
    for (const to of targets) {
      const b = groupOf(to);
      if (b === undefined || b === a || skip(from, to)) continue;
      if (!groups.get(a)!.includes(b)) groups.get(a)!.push(b);
    }
  }
  return groups;
}

/**
 * File edges that break a layer order (`layers`: lowest first; a group imports only from groups before it), as
 * `from -> to` lines. Files of no listed layer are not judged.
 */
export function layerViolations(graph: Graph, layerOf: (file: string) => string | undefined, layers: readonly string[]): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const a = layerOf(from);
    if (a === undefined || !layers.includes(a)) continue;
    for (const to of targets) {
      const b = layerOf(to);
      if (b === undefined || b === a || !layers.includes(b)) continue;
      if (layers.indexOf(b) > layers.indexOf(a)) out.push(`${from} -> ${to} (${a} may not import ${b}: ${b} is above it)`);
    }
  }
  return out.sort();
}
