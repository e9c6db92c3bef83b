/**
 * Aggregates V8 .cpuprofile files (from `node --cpu-prof`): self time by function (with TypeScript lines, through tsx's
 * cached source maps), by activity, by module, and the inclusive time of the repository's own functions.
 * Percentages are of the sampled (wall) time, idle included; `busy%` leaves idle out.
 *
 * Sampling attributes wall time: when the machine is short of cores, a thread preempted inside a syscall (a socket
 * write that wakes the server) is charged to that native frame (writeLatin1String). Compare with the process's
 * user + system CPU time (GNU time) before reading such frames as CPU.
 *
 * Usage: node --import tsx bench/cpuprofile.ts FILE_OR_DIR... [--top N]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface TimeRow {
  name: string;
  where: string;
  ms: number;
  /** Of the sampled time. */
  percent: number;
  /** Of the sampled time without idle. */
  busyPercent: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Time in (idle), i.e. the event loop waiting (for the network, timers). */
  idleMs: number;
  byFunction: TimeRow[];
  /** Self time by source file, node_modules collapsed to their package. */
  byModule: TimeRow[];
  /** Inclusive (total) time of the repository's own functions: where the time goes below each of them. */
  inclusiveOwn: TimeRow[];
  /** Self time by activity (see CATEGORIES); native frames (JSON.parse, socket writes, RegExp) count for their JS caller. */
  byCategory: TimeRow[];
}

/** Activities, by the module a frame belongs to; the first match wins. */
const CATEGORIES: [string, RegExp][] = [
  ['idle (waiting for the network or timers)', /^\(idle\)$/],
  ['garbage collection', /^\(garbage collector\)$/],
  ['startup: module loading and TypeScript (tsx)', /^(node:internal\/modules|node:internal\/bootstrap|node:internal\/deps\/cjs-module-lexer|npm:tsx|npm:esbuild|wasm:|node:internal\/source_map|bin\/conformance\.js)/],
  ['spec loading (swagger-parser, YAML)', /^(npm:@apidevtools|npm:js-yaml|npm:yaml|npm:call-me-maybe|src\/spec\/)/],
  ['reference servers (in-process: fastify, fixtures)', /^(fixtures\/|node:_http_|npm:@seriousme|npm:fastq|npm:semver|npm:fastify|npm:@fastify|npm:find-my-way|npm:fastify-openapi-glue|npm:light-my-request|npm:avvio|npm:pino|npm:fast-json-stringify|npm:secure-json-parse|npm:fast-querystring|npm:toad-cache)/],
  ['response validation (ajv, formats)', /^(npm:ajv|npm:ajv-formats|npm:fast-uri|npm:fast-deep-equal|npm:json-schema-traverse|src\/checks\/validators\.ts)/],
  ['checks and provider profiles', /^(src\/checks\/|src\/providers\/)/],
  ['generation (fast-check, schema arbitraries)', /^(npm:fast-check|npm:pure-rand|src\/generate\/|npm:json-schema-merge-allof|npm:lodash|npm:compute-lcm|npm:validate\.io)/],
  ['HTTP client (undici, sockets, JSON.parse of bodies)', /^(npm:undici|src\/http\/|node:net|node:internal\/streams|node:internal\/stream_base_commons|node:buffer|node:internal\/abort_controller|node:internal\/event_target|node:stream|node:internal\/http|node:diagnostics_channel|node:internal\/webstreams|node:internal\/url|node:url|node:internal\/deps\/undici)/],
  ['engine (session, probes, ledger, events)', /^src\/run\//],
  ['reports and progress', /^(src\/report\/|src\/cli)/],
  ['event loop, promises, timers', /^(node:internal\/process|node:internal\/timers|node:timers|node:events|node:internal\/async_hooks|\(program\))/],
  ['file system', /^(node:fs|node:internal\/fs)/],
];

function categoryOf(module: string): string {
  return CATEGORIES.find(([, re]) => re.test(module))?.[0] ?? 'other';
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where a frame comes from: a package name, a repository-relative path, node:internal, or the V8 pseudo-frames. */
function moduleOf(url: string): string {
  if (!url) return '(native/V8)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return `npm:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (path.startsWith(ROOT)) return path.slice(ROOT.length);
  // Another checkout (BENCH_CLI): the path below its root.
  const own = /\/((?:src|fixtures|bin|bench|test)\/.*)$/.exec(path);
  return own ? own[1]! : path;
}

/**
 * tsx compiles each TypeScript file to one line (esbuild minifyWhitespace), so V8 reports line 1 for every function.
 * tsx keeps the compiled code and its source map in its cache (<tmpdir>/tsx-<uid>/): the map turns the column back
 * into the TypeScript line. Several cached versions of a file may exist (the file was edited): the one whose code
 * has the profile's named functions at the profile's columns is used.
 */
class TsxSourceMaps {
  private readonly cacheByFile = new Map<string, { code: string; mappings: number[][][] }[]>();
  private readonly chosen = new Map<string, { code: string; mappings: number[][][] } | undefined>();

  constructor(frames: CallFrame[]) {
    const dirs = readdirSafe(tmpdir()).filter((d) => d.startsWith('tsx-')).map((d) => join(tmpdir(), d));
    for (const dir of dirs) {
      for (const name of readdirSafe(dir)) {
        if (name.endsWith('.pipe')) continue;
        try {
          const entry = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { code?: string; map?: { sources?: string[]; mappings?: string } };
          const source = entry.map?.sources?.[0];
          if (!entry.code || !source || !entry.map?.mappings) continue;
          const list = this.cacheByFile.get(source) ?? [];
          list.push({ code: entry.code, mappings: decodeMappings(entry.map.mappings) });
          this.cacheByFile.set(source, list);
        } catch {
          // Not a cache entry.
        }
      }
    }
    const byUrl = new Map<string, CallFrame[]>();
    for (const f of frames) if (f.url.startsWith('file://')) byUrl.set(f.url, [...(byUrl.get(f.url) ?? []), f]);
    for (const [url, list] of byUrl) {
      const candidates = this.cacheByFile.get(fileURLToPath(url)) ?? [];
      const score = (c: { code: string }) => list.filter((f) => f.functionName && lineAt(c.code, f.lineNumber).startsWith(f.functionName, f.columnNumber)).length;
      this.chosen.set(url, candidates.sort((a, b) => score(b) - score(a))[0]);
    }
  }

  /** The 1-based TypeScript line of a frame, when its file's map is known. */
  line(frame: CallFrame): number | undefined {
    const entry = this.chosen.get(frame.url);
    const segments = entry?.mappings[frame.lineNumber];
    if (!segments) return undefined;
    let best: number[] | undefined;
    for (const seg of segments) {
      if (seg[0]! > frame.columnNumber) break;
      if (seg.length >= 4) best = seg;
    }
    return best ? best[2]! + 1 : undefined;
  }
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function lineAt(code: string, line: number): string {
  if (line === 0) {
    const end = code.indexOf('\n');
    return end < 0 ? code : code.slice(0, end);
  }
  return code.split('\n')[line] ?? '';
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Source map v3 mappings to absolute [generatedColumn, source, originalLine, originalColumn] segments per generated line. */
function decodeMappings(mappings: string): number[][][] {
  const lines: number[][][] = [];
  let source = 0;
  let origLine = 0;
  let origCol = 0;
  for (const lineText of mappings.split(';')) {
    const segments: number[][] = [];
    let genCol = 0;
    for (const segText of lineText.split(',')) {
      if (!segText) continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segText) {
        const digit = BASE64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      genCol += values[0]!;
      if (values.length >= 4) {
        source += values[1]!;
        origLine += values[2]!;
        origCol += values[3]!;
        segments.push([genCol, source, origLine, origCol]);
      } else segments.push([genCol]);
    }
    lines.push(segments);
  }
  return lines;
}

function shortWhere(frame: CallFrame, maps: TsxSourceMaps): string {
  const module = moduleOf(frame.url);
  if (!frame.url) return module;
  const mapped = frame.url.endsWith('.ts') ? maps.line(frame) : undefined;
  return `${module}:${mapped ?? frame.lineNumber + 1}`;
}

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const maps = new TsxSourceMaps(profile.nodes.map((n) => n.callFrame));
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time since the previous sample; attribute it to sample i (what V8's DevTools does).
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, { name: string; where: string; us: number }>();
  const mod = new Map<string, number>();
  let idle = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const name = frame.functionName || '(anonymous)';
    if (name === '(idle)') idle += us;
    const where = shortWhere(frame, maps);
    const key = `${name}@${where}`;
    const row = fn.get(key) ?? { name, where, us: 0 };
    row.us += us;
    fn.set(key, row);
    const m = frame.url ? moduleOf(frame.url) : name.startsWith('(') ? name : '(native/V8)';
    mod.set(m, (mod.get(m) ?? 0) + us);
  }
  // Inclusive time: each sample counts once for every distinct repository function on its stack.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (!frame.url.startsWith('file://') || frame.url.includes('/node_modules/') || !/^(src|fixtures|bin)\//.test(moduleOf(frame.url))) continue;
      const where = shortWhere(frame, maps);
      const key = `${frame.functionName}@${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const row = inclusive.get(key) ?? { name: frame.functionName || '(anonymous)', where, us: 0 };
      row.us += us;
      inclusive.set(key, row);
    }
  }
  // Categories: a frame without a URL (a native: JSON.parse, a socket write, a RegExp) counts for its nearest caller that has one.
  const categories = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const own = byId.get(id)!.callFrame;
    let module = own.url ? moduleOf(own.url) : own.functionName;
    if (!own.url && !['(idle)', '(garbage collector)', '(program)'].includes(own.functionName)) {
      for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)!.callFrame;
        if (frame.url) {
          module = moduleOf(frame.url);
          break;
        }
      }
    }
    const category = categoryOf(module);
    categories.set(category, (categories.get(category) ?? 0) + us);
  }
  const pct = (us: number) => Math.round((1000 * us) / total) / 10;
  const busyPct = (us: number) => (total > idle ? Math.round((1000 * us) / (total - idle)) / 10 : 0);
  const row = (name: string, where: string, us: number): TimeRow => ({ name, where, ms: Math.round(us / 1000), percent: pct(us), busyPercent: name.startsWith('idle') || name === '(idle)' ? 0 : busyPct(us) });
  return {
    file,
    totalMs: Math.round(total / 1000),
    idleMs: Math.round(idle / 1000),
    byFunction: [...fn.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((r) => row(r.name, r.where, r.us)),
    byModule: [...mod.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([m, us]) => row(m, '', us)),
    byCategory: [...categories.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => row(name, '', us)),
    inclusiveOwn: [...inclusive.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((r) => row(r.name, r.where, r.us)),
  };
}

export function formatSummary(summary: ProfileSummary): string {
  const cells = (r: TimeRow) => `${r.percent.toFixed(1).padStart(5)}% ${(r.busyPercent ? `${r.busyPercent.toFixed(1)}%` : '').padStart(6)} ${String(r.ms).padStart(6)} ms  ${r.name}${r.where ? `  ${r.where}` : ''}`;
  const lines = [`${summary.file}: ${summary.totalMs} ms sampled, ${summary.idleMs} ms idle`, '', 'top self time by function (% of sampled, % of busy):'];
  summary.byFunction.forEach((r, i) => lines.push(`${String(i + 1).padStart(3)}. ${cells(r)}`));
  lines.push('', 'self time by activity (natives count for their caller):');
  summary.byCategory.forEach((r) => lines.push(`     ${cells(r)}`));
  lines.push('', 'self time by module:');
  summary.byModule.forEach((r) => lines.push(`     ${cells(r)}`));
  lines.push('', 'inclusive time of the repository\'s functions:');
  summary.inclusiveOwn.forEach((r) => lines.push(`     ${cells(r)}`));
  return lines.join('\n');
}

function profilesIn(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(path, f));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 15;
  for (const file of args.flatMap(profilesIn)) console.log(`${formatSummary(summarizeProfile(file, top))}\n`);
}
