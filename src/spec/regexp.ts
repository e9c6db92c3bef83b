/**
 * How a pattern of a document is read. JSON Schema patterns are ECMA-262 regexes, and real documents are written
 * for both of its modes: `\p{L}` needs the Unicode flag, `^[\w\-\:]+$` is an error with it (an identity escape
 * of a character that needs none). A pattern is compiled with the flag first, then without it; one that compiles
 * in neither mode (`^[a-z`) cannot be read, so it restricts nothing (tolerant where the document is unreadable)
 * and `onUnreadable` names it, once per pattern.
 */
export function compilePattern(pattern: string, unicodeFlag = 'u', onUnreadable?: (pattern: string, reason: string) => void): RegExpLikeWithSource {
  let reason = '';
  for (const flags of unicodeFlag === 'u' ? ['u', ''] : ['']) {
    try {
      return new RegExp(pattern, flags);
    } catch (error) {
      reason ||= error instanceof Error ? error.message : String(error);
    }
  }
  onUnreadable?.(pattern, reason);
  return { test: () => true, toString: () => `/${pattern}/ (unreadable)`, source: pattern };
}

export interface RegExpLikeWithSource {
  test(s: string): boolean;
  source: string;
  toString(): string;
}

/** An ajv `code.regExp` engine built on compilePattern. */
export function regExpEngine(onUnreadable?: (pattern: string, reason: string) => void): ((pattern: string, u: string) => RegExpLikeWithSource) & { code: string } {
  const engine = (pattern: string, u: string) => compilePattern(pattern, u, onUnreadable);
  // Only used for standalone code, which the tool does not generate.
  return Object.assign(engine, { code: 'require("dbaas-conformance/src/spec/regexp.ts").compilePattern' });
}
