import { main } from '../src/cli.ts';

export interface Captured {
  code: number;
  out: string[];
  err: string[];
}

/** Runs the conformance command in-process and captures its exit code and its stdout and stderr lines. */
export async function cli(argv: string[]): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}
