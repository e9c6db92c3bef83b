/**
 * Bounds on what the client parses. A body of a few megabytes can hold a million object members (or integer-like keys
 * that turn an object sparse), which costs JSON.parse and schema validation seconds and gigabytes each time. Such an
 * answer is not parsed: it is reported as too costly to validate, and only the checks that need no parsed body judge it.
 */
export const MAX_JSON_MEMBERS = 200_000;
export const MAX_JSON_VALUES = 1_000_000;

const COLON = 0x3a;
const COMMA = 0x2c;

/** Why a JSON body is too costly to parse and validate, or undefined. Counts `:` and `,` bytes (an upper bound on members and values). */
export function jsonCost(bytes: Uint8Array): string | undefined {
  if (bytes.length < MAX_JSON_MEMBERS) return undefined;
  let colons = 0;
  let commas = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === COLON) colons++;
    else if (b === COMMA) commas++;
  }
  if (colons > MAX_JSON_MEMBERS) return `a body of ${bytes.length} bytes with about ${colons} object members (more than ${MAX_JSON_MEMBERS}) is too costly to validate`;
  if (commas > MAX_JSON_VALUES) return `a body of ${bytes.length} bytes with about ${commas} values (more than ${MAX_JSON_VALUES}) is too costly to validate`;
  return undefined;
}
