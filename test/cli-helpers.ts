import { main } from '../src/cli.ts';
import { afterEach, beforeEach } from 'vitest';

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

/**
 * Sets CONFORMANCE_USERNAME/PASSWORD (and no token) before each test of the enclosing describe, and restores the
 * environment after it.
 */
export function useBasicCredentials(auth: { username: string; password: string }): void {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.CONFORMANCE_USERNAME = auth.username;
    process.env.CONFORMANCE_PASSWORD = auth.password;
    delete process.env.CONFORMANCE_TOKEN;
  });
  afterEach(() => {
    process.env = { ...saved };
  });
}
