import { UsageError } from '../errors.ts';

/** Path parameter values from CONFORMANCE_VAR_<NAME> and --var NAME=VALUE (the flags win). */
export function parseVars(values: string[] | undefined, env: NodeJS.ProcessEnv): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (key.startsWith('CONFORMANCE_VAR_') && value !== undefined) vars[key.slice(16)] = value;
  for (const entry of values ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new UsageError(`--var '${entry}' is not NAME=VALUE`, 'for example --var organizationId=1234');
    vars[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return vars;
}
