import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Whether a target is on this machine, decided on addresses, never on how a name begins: `127.example.invalid` is
 * a remote name. Writes, resource caps and polling intervals depend on it.
 */

/** Whether an IP address is a loopback address (127.0.0.0/8, ::1, or 127.x mapped into IPv6). */
export function isLoopbackAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(a) === 4) return a.startsWith('127.');
  if (isIP(a) === 6) return a === '::1' || a === '0:0:0:0:0:0:0:1' || (/^::ffff:/.test(a) && isLoopbackAddress(a.slice(7)));
  return false;
}

/** The URL's host when it is a literal loopback address or `localhost`; no name is resolved. */
export function isLoopbackLiteral(target: string): boolean {
  try {
    const host = new URL(target).hostname.replace(/^\[|\]$/g, '');
    return host.toLowerCase() === 'localhost' || isLoopbackAddress(host);
  } catch {
    return false;
  }
}

/** Whether every address the target's host resolves to is a loopback address. A name that does not resolve is remote. */
export async function resolvesToLoopback(target: string, resolve: typeof lookup = lookup): Promise<boolean> {
  let host: string;
  try {
    host = new URL(target).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  if (isIP(host)) return isLoopbackAddress(host);
  try {
    const addresses = await resolve(host, { all: true, verbatim: true });
    return addresses.length > 0 && addresses.every((a) => isLoopbackAddress(a.address));
  } catch {
    return false;
  }
}
