/**
 * A problem with the user's input (flags, spec, target, credentials) rather than with the API under test.
 * The CLI prints `error: <message> (<hint>)` on one line and exits 2.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }

  oneLine(): string {
    return `error: ${this.message}${this.hint ? ` (${this.hint})` : ''}`;
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? String(error);
  return String(error);
}
