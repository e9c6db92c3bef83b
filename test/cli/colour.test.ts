import { describe, expect, it } from 'vitest';
import { colourEnabled, paint } from '../../src/cli/colour.ts';

const strip = (s: string) => s.replace(/\x1b\[\d+m/g, '');

describe('colour', () => {
  it.each([
    ['a terminal', { isTTY: true }, {}, true],
    ['a pipe', { isTTY: false }, {}, false],
    ['a terminal with NO_COLOR', { isTTY: true }, { NO_COLOR: '1' }, false],
    ['a terminal with an empty NO_COLOR', { isTTY: true }, { NO_COLOR: '' }, true],
    ['a pipe with FORCE_COLOR', { isTTY: false }, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR=0 on a terminal', { isTTY: true }, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR beats NO_COLOR', { isTTY: false }, { FORCE_COLOR: 'true', NO_COLOR: '1' }, true],
    ['a dumb terminal', { isTTY: true }, { TERM: 'dumb' }, false],
  ] as const)('%s: %s', (_label, stream, env, expected) => {
    expect(colourEnabled(stream, env as NodeJS.ProcessEnv)).toBe(expected);
  });

  it.each([
    ['PASS: 3 passed, 0 failed', '\x1b[1m\x1b[32mPASS\x1b[39m\x1b[22m: 3 passed, 0 failed'],
    ['PASS (2 known failures): 3 passed', '\x1b[1m\x1b[32mPASS (2 known failures)\x1b[39m\x1b[22m: 3 passed'],
    ['FAIL: 1 failed', '\x1b[1m\x1b[31mFAIL\x1b[39m\x1b[22m: 1 failed'],
    ['  [1/2] GET    /x (xGet) 3 requests: FAIL status-code-conformance', '  [1/2] GET    /x (xGet) 3 requests: \x1b[31mFAIL status-code-conformance\x1b[39m'],
    ['  [2/2] GET    /y (yGet) 3 requests: ok', '  [2/2] GET    /y (yGet) 3 requests: \x1b[32mok\x1b[39m'],
    ['error: no such file (pass one)', '\x1b[31merror: no such file (pass one)\x1b[39m'],
  ])('colours %j by what it says, and nothing else', (line, painted) => {
    expect(paint(line)).toBe(painted);
    expect(strip(paint(line))).toBe(line);
  });

  it('leaves other lines alone', () => {
    expect(paint('reports: a.json, b.xml')).toBe('reports: a.json, b.xml');
    expect(paint('  not-a-server-error ×2 on xGet: FAIL in a message')).toBe('  not-a-server-error ×2 on xGet: FAIL in a message');
  });
});
