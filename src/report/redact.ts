export const REDACTED = '[REDACTED]';

const SECRET_KEY = /pass(word)?|secret|token|authorization|api[-_]?key|credential|cookie|private[-_]?key|hash$/i;
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token']);

/**
 * Removes secrets from everything that leaves the process (reports, logs, curl lines):
 * values under secret-looking keys, secret headers, and every known secret value wherever it appears in text.
 */
export class Redactor {
  private readonly values = new Set<string>();
  private readonly curlAuth = new Map<string, string>();

  /** An Authorization header the run sends, and the curl arguments that rebuild it from environment variables. */
  addAuthorization(header: string, curlArguments: string): void {
    this.addSecret(header);
    this.addSecret(header.replace(/^(Basic|Bearer) /, ''));
    this.curlAuth.set(header, curlArguments);
  }

  curlArgumentsFor(header: string): string | undefined {
    return this.curlAuth.get(header);
  }

  addSecret(value: string | undefined): void {
    if (value && value.length >= 4) this.values.add(value);
  }

  isSecretKey(key: string): boolean {
    return SECRET_KEY.test(key);
  }

  text(input: string): string {
    let out = input;
    for (const value of this.values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    return out;
  }

  /** A URL without userinfo (https://user:secret@host) and without known secrets. */
  url(input: string): string {
    return this.text(input.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1'));
  }

  headers(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? REDACTED : this.text(v);
    return out;
  }

  /** Deep copy of a JSON value with secret keys and known secret values replaced. */
  value(input: unknown): unknown {
    if (typeof input === 'string') return this.text(input);
    if (Array.isArray(input)) return input.map((v) => this.value(v));
    if (input && typeof input === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(input)) {
        if (!this.isSecretKey(k) || v === null || typeof v === 'boolean') out[k] = this.value(v);
        else out[k] = typeof v === 'object' ? this.redactAll(v) : REDACTED;
      }
      return out;
    }
    return input;
  }

  /** A body as text: parsed and redacted when JSON, otherwise redacted by value. */
  body(text: string | undefined): string | undefined {
    if (text === undefined) return undefined;
    try {
      return JSON.stringify(this.value(JSON.parse(text)));
    } catch {
      return this.text(text);
    }
  }

  private redactAll(input: object): unknown {
    if (Array.isArray(input)) return input.map(() => REDACTED);
    return Object.fromEntries(Object.keys(input).map((k) => [k, REDACTED]));
  }
}
