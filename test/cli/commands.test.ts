import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, PROVIDER_NAMES, didYouMean, editDistance, type CommandName } from '../../src/cli/commands.ts';
import { parseCommand } from '../../src/cli/flags.ts';
import { PROVIDERS } from '../../src/providers/registry.ts';
import { cli } from '../cli-helpers.ts';

const ROOT = join(import.meta.dirname, '../..');
const names = Object.keys(COMMANDS) as CommandName[];

describe('command table', () => {
  it.each(names.filter((n) => n !== 'help'))('`%s --help` prints every listed flag of the table, and exits 0', async (name) => {
    const { code, out } = await cli([name, '--help']);
    expect(code).toBe(0);
    const help = out.join('\n');
    expect(help).toMatch(new RegExp(`^usage: conformance ${name}`));
    for (const [flag, spec] of Object.entries(COMMANDS[name].flags) as [string, { hidden?: boolean }][]) {
      if (spec.hidden) expect(help).not.toContain(`--${flag} `);
      else expect(help).toContain(`--${flag}`);
    }
  });

  it.each(names)('the parser of `%s` accepts exactly the flags of the table', (name) => {
    for (const [flag, spec] of Object.entries(COMMANDS[name].flags) as [string, { type: string }][]) {
      const args = spec.type === 'string' ? [`--${flag}`, 'x'] : [`--${flag}`];
      expect(() => parseCommand(COMMANDS[name], args)).not.toThrow();
    }
    expect(() => parseCommand(COMMANDS[name], ['--not-a-flag'])).toThrow(/Unknown option '--not-a-flag'/);
  });

  it('serve (its own parser in src/cli/serve.ts) accepts every flag of the table', async () => {
    for (const [flag, spec] of Object.entries(COMMANDS.serve.flags) as [string, { type: string }][]) {
      const args = spec.type === 'string' ? [`--${flag}`, 'x'] : [`--${flag}`];
      expect((await cli(['serve', ...args, '--help'])).code, flag).toBe(0);
    }
    expect((await cli(['serve', '--not-a-flag', '--help'])).code).toBe(2);
  });

  it('help COMMAND equals COMMAND --help; the overview lists every command and -h works as --help', async () => {
    expect((await cli(['help', 'run'])).out).toEqual((await cli(['run', '-h'])).out);
    const overview = (await cli(['--help'])).out.join('\n');
    for (const name of names) expect(overview).toContain(`  ${name} `);
    expect(overview).toContain('--version');
  });

  it('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await cli(['--version'])).toEqual({ code: 0, out: [version], err: [] });
    expect((await cli(['-v'])).out).toEqual([version]);
  });

  it('lists the providers of the registry', () => {
    expect([...PROVIDER_NAMES].sort()).toEqual(PROVIDERS.map((p) => p.name).sort());
  });
});

describe('did you mean', () => {
  it('suggests the closest command for a typo, nothing for something unrelated', async () => {
    expect(await cli(['rnu'])).toMatchObject({ code: 2, err: ["error: unknown command 'rnu'; did you mean 'run'? (run `conformance --help` for the commands)"] });
    expect(await cli(['mrege'])).toMatchObject({ code: 2, err: [expect.stringContaining("did you mean 'merge'?")] });
    const unrelated = await cli(['deploy']);
    expect(unrelated.code).toBe(2);
    expect(unrelated.err[0]).not.toContain('did you mean');
  });

  it('suggests the closest flag of the command', async () => {
    expect(await cli(['run', '--exmaples', '3'])).toMatchObject({ code: 2, err: ["error: Unknown option '--exmaples'; did you mean --examples? (run `conformance run --help` for its options)"] });
    expect((await cli(['serve', '--prot', '1'])).err[0]).toContain('did you mean --port?');
    expect((await cli(['run', '--zzzzzz'])).err[0]).not.toContain('did you mean');
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('hepl', 'help')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(didYouMean('provder', ['provider', 'spec'])).toBe('provider');
    expect(didYouMean('x', ['provider', 'spec'])).toBeUndefined();
  });
});

describe('bin/conformance.js', () => {
  it('prints the help and the version as a process (bundle or sources)', () => {
    const help = execFileSync(process.execPath, [join(ROOT, 'bin/conformance.js'), 'run', '--help'], { encoding: 'utf8' });
    expect(help).toContain('--max-duration D');
    const version = execFileSync(process.execPath, [join(ROOT, 'bin/conformance.js'), '--version'], { encoding: 'utf8' });
    expect(version.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
