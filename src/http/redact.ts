export const REDACTED = '[REDACTED]';

/** Words that make a field name secret (`authentication_admin_pass`, `clientSecret`, `access_token`); `max_output_tokens` is not. */
const SECRET_WORDS = new Set(['pass', 'password', 'passwords', 'passwd', 'passphrase', 'pwd', 'secret', 'secrets', 'token', 'authorization', 'credential', 'credentials', 'cookie', 'apikey']);
/** Two words that together make a field name secret (`api_key`, `x-private-key`). */
const SECRET_PAIRS = new Set(['api key', 'private key', 'access key', 'secret key']);
/** The shortest piece of a secret that counts as leaked: no 8 characters of a secret may remain anywhere. */
const FRAGMENT = 8;
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
    this.addSecret(header, false);
    this.addSecret(header.replace(/^(Basic|Bearer) /, ''), false);
    this.curlAuth.set(header, curlArguments);
  }

  curlArgumentsFor(header: string): string | undefined {
    return this.curlAuth.get(header);
  }

  /**
   * A secret value: hidden wherever it appears, and (`fragments`) so is every piece of 8 or more characters of it. An
   * Authorization header or `user:password` in base64 is hidden whole only: its pieces encode the user name, which is
   * no secret, and the password inside it is registered on its own.
   */
  addSecret(value: string | undefined, fragments = true): void {
    if (!value || value.length < 4) return;
    if (fragments && !this.fragmentSources.has(value)) {
      this.fragmentSources.add(value);
      this.windows = undefined;
    }
    if (this.values.has(value)) return;
    this.values.add(value);
    this.sorted = undefined;
  }

  private readonly fragmentSources = new Set<string>();

  /** Whether a field or variable name names a secret, word by word (snake_case, kebab-case, camelCase). */
  isSecretKey(key: string): boolean {
    const words = key
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
    if (words.some((w) => SECRET_WORDS.has(w))) return true;
    if (words.at(-1) === 'hash') return true;
    return words.some((w, i) => i > 0 && SECRET_PAIRS.has(`${words[i - 1]} ${w}`));
  }

  /** Registers the string values of secret-named fields of a request body (a password the run sends) as secrets. */
  learn(body: unknown): void {
    if (Array.isArray(body)) for (const v of body) this.learn(v);
    else if (body && typeof body === 'object') {
      for (const [k, v] of Object.entries(body)) {
        if (typeof v === 'string' && this.isSecretKey(k)) this.addSecret(v);
        else if (typeof v === 'number' && this.isSecretKey(k)) this.addSecret(String(v));
        else this.learn(v);
      }
    }
  }

  /**
   * A text without any known secret, nor any piece of 8 or more characters of one: so that a secret cut anywhere
   * (a message or body shortened before or after this) leaves nothing recognisable.
   */
  text(input: string): string {
    let out = input;
    for (const value of this.sortedValues()) if (out.includes(value)) out = out.split(value).join(REDACTED);
    const windows = this.fragments();
    if (windows.size === 0 || out.length < FRAGMENT) return out;
    let result = '';
    let from = 0;
    for (let i = 0; i + FRAGMENT <= out.length; i++) {
      if (!windows.has(out.slice(i, i + FRAGMENT))) continue;
      // Extend over every following window that is also a piece of a secret.
      let end = i + FRAGMENT;
      while (end < out.length && windows.has(out.slice(end - FRAGMENT + 1, end + 1))) end++;
      result += `${out.slice(from, i)}${REDACTED}`;
      from = end;
      i = end - 1;
    }
    return from === 0 ? out : result + out.slice(from);
  }

  private sorted: string[] | undefined;
  private windows: Set<string> | undefined;

  /** Longest first, so that a secret containing another is removed whole. */
  private sortedValues(): string[] {
    this.sorted ??= [...this.values].sort((a, b) => b.length - a.length);
    return this.sorted;
  }

  /** Every piece of FRAGMENT characters of every secret, except pieces of one or two repeated characters (padding, not secret). */
  private fragments(): Set<string> {
    if (!this.windows) {
      this.windows = new Set();
      for (const value of this.fragmentSources) {
        for (let i = 0; i + FRAGMENT <= value.length; i++) {
          const piece = value.slice(i, i + FRAGMENT);
          if (new Set(piece).size > 2) this.windows.add(piece);
        }
      }
    }
    return this.windows;
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

  /** JSON text that may be cut anywhere (not parsed): string values under secret keys and known secrets hidden. */
  jsonText(text: string): string {
    const pairs = text.replace(/"((?:[^"\\]|\\.)*)"(\s*:\s*)"((?:[^"\\]|\\.)*)("?)/g, (whole, key: string, colon: string, _value: string, close: string) =>
      this.isSecretKey(key) ? `"${key}"${colon}"${REDACTED}${close}` : whole,
    );
    return this.text(pairs);
  }

  private redactAll(input: object): unknown {
    if (Array.isArray(input)) return input.map(() => REDACTED);
    return Object.fromEntries(Object.keys(input).map((k) => [k, REDACTED]));
  }
}

/** The target without userinfo, query or fragment: credentials never reach a report. */
export function safeTarget(target: string): string {
  try {
    const url = new URL(target);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}
