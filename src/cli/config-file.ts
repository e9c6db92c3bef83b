import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError, errorMessage } from '../errors.ts';
import { didYouMean, type FlagSpec } from './commands.ts';

/** The file names looked for in the current directory when --config is not given. */
export const CONFIG_FILES = ['conformance.config.json', 'conformance.config.yaml', 'conformance.config.yml'];

type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * Options from a config file: `--config FILE`, else conformance.config.{json,yaml,yml} in `cwd` when there is one.
 * Its keys are the command's flag names (`report-dir` or `reportDir`), its values strings, numbers, booleans, or
 * lists for repeatable flags; `${NAME}` in a string is the environment variable NAME (unset is an error).
 * Flags on the command line override the file, a repeatable one replacing the file's list.
 */
export async function applyConfigFile<V extends Values>(flags: Record<string, FlagSpec>, values: V, cwd: string, env: NodeJS.ProcessEnv): Promise<V & { configFile?: string }> {
  const file = typeof values.config === 'string' ? values.config : CONFIG_FILES.map((f) => join(cwd, f)).find((f) => existsSync(f));
  if (file === undefined) return values;
  const fromFile = await readConfigFile(file, flags, env);
  const merged: Values = { ...fromFile };
  for (const [key, value] of Object.entries(values)) if (value !== undefined) merged[key] = value;
  return { ...(merged as V), configFile: file };
}

export async function readConfigFile(file: string, flags: Record<string, FlagSpec>, env: NodeJS.ProcessEnv): Promise<Values> {
  let data: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    data = /\.json$/i.test(file) ? JSON.parse(text) : (await import('yaml')).parse(text);
  } catch (error) {
    throw new UsageError(`cannot read config file ${file}: ${errorMessage(error)}`, 'fix the file, or pass another with --config FILE');
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`config file ${file} is not a mapping of options`, 'write options as keys, e.g. {"provider": "ionos-postgresql", "examples": 50}');
  const values: Values = {};
  const names = Object.keys(flags).filter((n) => !['help', 'config'].includes(n));
  for (const [rawKey, raw] of Object.entries(data as Record<string, unknown>)) {
    const key = rawKey.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const flag = names.includes(key) ? flags[key] : undefined;
    if (!flag) {
      const suggestion = didYouMean(key, names);
      throw new UsageError(`config file ${file}: unknown option '${rawKey}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`, 'keys are the flag names of `conformance run --help`');
    }
    const where = `config file ${file}: '${rawKey}'`;
    const one = (v: unknown): string | boolean => {
      if (flag.type === 'boolean') {
        if (typeof v !== 'boolean') throw new UsageError(`${where} must be true or false`, `for example ${rawKey}: true`);
        return v;
      }
      if (typeof v === 'number') return String(v);
      if (typeof v !== 'string') throw new UsageError(`${where} must be a string or a number`, `for example ${rawKey}: value`);
      return interpolate(v, env, where);
    };
    if (flag.multiple) {
      // A mapping is accepted for --var: {organizationId: 1234}.
      const list = Array.isArray(raw) ? raw : raw !== null && typeof raw === 'object' ? Object.entries(raw).map(([k, v]) => `${k}${key === 'header' ? ': ' : '='}${String(v)}`) : [raw];
      values[key] = list.map((v) => String(one(v)));
    } else values[key] = one(raw);
  }
  return values;
}

/** `${NAME}` replaced by the environment variable NAME; `$${` stays a literal `${`. */
export function interpolate(value: string, env: NodeJS.ProcessEnv, where: string): string {
  return value.replace(/\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, name: string) => {
    if (match.startsWith('$$')) return match.slice(1);
    const found = env[name];
    if (found === undefined) throw new UsageError(`${where} uses \${${name}}, which is not set`, `set ${name} in the environment, or write the value itself`);
    return found;
  });
}
