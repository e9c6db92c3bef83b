import type { Redactor } from './redact.ts';
import type { OutgoingRequest } from './types.ts';

/**
 * A curl command that replays the request. Credentials are never written out:
 * the Authorization header is rebuilt from the same environment variables the tool reads.
 */
export function curlCommand(req: OutgoingRequest, redactor: Redactor): string {
  const parts = ['curl', '-sS', '-X', req.method.toUpperCase(), quote(redactor.url(req.url))];
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.toLowerCase() === 'authorization') {
      // Real credentials are replaced by the variables the tool reads; deliberately wrong ones are shown as sent.
      if (redactor.text(value) === value) parts.push('-H', quote(`${name}: ${value}`));
      else parts.push(redactor.curlArgumentsFor(value) ?? (value.startsWith('Bearer ') ? `-H "Authorization: Bearer $CONFORMANCE_TOKEN"` : `-u "$CONFORMANCE_USERNAME:$CONFORMANCE_PASSWORD"`));
    } else {
      parts.push('-H', quote(`${name}: ${redactor.headers({ [name]: value })[name]}`));
    }
  }
  if (req.body !== undefined) parts.push('--data-raw', quote(redactor.body(req.body) ?? ''));
  return parts.join(' ');
}

function quote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
