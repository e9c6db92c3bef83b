/**
 * Colour on a terminal, following the conventions users expect: FORCE_COLOR (not 0 or false) forces it, NO_COLOR
 * (any non-empty value) turns it off, otherwise it is on when the stream is a terminal whose TERM is not dumb.
 */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

const RED = (s: string) => `\x1b[31m${s}\x1b[39m`;
const GREEN = (s: string) => `\x1b[32m${s}\x1b[39m`;
const YELLOW = (s: string) => `\x1b[33m${s}\x1b[39m`;
const BOLD = (s: string) => `\x1b[1m${s}\x1b[22m`;
const DIM = (s: string) => `\x1b[2m${s}\x1b[22m`;

/**
 * Colours one line of the CLI's output by what it says: the verdict (PASS green, FAIL red, INTERRUPTED yellow), an
 * operation's `ok` or `FAIL checks`, warnings, errors, and curl lines dimmed. The text itself is unchanged.
 */
export function paint(line: string): string {
  let m: RegExpExecArray | null;
  if ((m = /^(PASS(?: \(\d+ known failures?\))?|FAIL|INTERRUPTED)(:.*)$/s.exec(line))) {
    const colour = m[1]!.startsWith('PASS') ? GREEN : m[1] === 'FAIL' ? RED : YELLOW;
    return `${BOLD(colour(m[1]!))}${m[2]}`;
  }
  if ((m = /^(.*: )(FAIL .*)$/.exec(line)) && /^\s+.*\[\s*\d+\/\d+\]/.test(line)) return `${m[1]}${RED(m[2]!)}`;
  if (/^\s+.*\[\s*\d+\/\d+\].*: ok$/.test(line)) return `${line.slice(0, -2)}${GREEN('ok')}`;
  if (/^error: /.test(line)) return RED(line);
  if (/^\s*warning: /.test(line)) return YELLOW(line);
  if (/^\s+curl /.test(line)) return DIM(line);
  return line;
}
