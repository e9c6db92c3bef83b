import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';
import { cli } from '../cli-helpers.ts';

describe('the report dir is checked before the first request', () => {
  let server: Awaited<ReturnType<typeof startPostgresServer>>;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = await startPostgresServer({ username: 'dir-check', password: 'report-dir-pw-123', token: 'unused-token-9', readyDelayMs: 20 });
    process.env.CONFORMANCE_USERNAME = 'dir-check';
    process.env.CONFORMANCE_PASSWORD = 'report-dir-pw-123';
  });

  afterAll(async () => {
    process.env = saved;
    await server.close();
  });

  const file = join(mkdtempSync(join(tmpdir(), 'conformance-dircheck-')), 'a-file');
  writeFileSync(file, 'keep me\n');

  it.each([
    ['/proc/self/nope', /^error: --report-dir \/proc\/self\/nope: cannot create \/proc\/self\/nope \(ENOENT\) \(pass a directory you can write to\)$/],
    [file, /^error: --report-dir .*a-file: .*a-file is a file, not a directory \(/],
    [join(file, 'sub'), /^error: --report-dir .*a-file\/sub: .*a-file is a file, not a directory \(/],
  ])('%s: one line, exit 2, and nothing was sent', async (dir, message) => {
    const before = server.requestLog.length;
    const result = await cli(['run', '--provider', 'ionos-postgresql', '--target', server.url, '--examples', '1', '--report-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([expect.stringMatching(message)]);
    expect(server.requestLog.length).toBe(before);
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
  });
});
