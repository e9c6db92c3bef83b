import fc from 'fast-check';

const MIN_DATE = new Date('2020-01-01T00:00:00Z');
const MAX_DATE = new Date('2030-12-31T23:59:59Z');

const dateArb = fc.date({ min: MIN_DATE, max: MAX_DATE, noInvalidDate: true });

/** Arbitraries for the string formats that ajv-formats knows; generated values always validate. */
export const FORMAT_ARBITRARIES: Record<string, fc.Arbitrary<string>> = {
  uuid: fc.uuid({ version: 4 }),
  'date-time': dateArb.map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')),
  date: dateArb.map((d) => d.toISOString().slice(0, 10)),
  time: fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m, s]) => `${pad(h)}:${pad(m)}:${pad(s)}Z`),
  email: fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/), fc.constantFrom('example.com', 'example.org')).map(([u, d]) => `${u}@${d}`),
  uri: fc.stringMatching(/^[a-z0-9]{1,12}$/).map((p) => `https://example.com/${p}`),
  url: fc.stringMatching(/^[a-z0-9]{1,12}$/).map((p) => `https://example.com/${p}`),
  'uri-reference': fc.stringMatching(/^[a-z0-9]{1,12}$/).map((p) => `/${p}`),
  hostname: fc.stringMatching(/^[a-z][a-z0-9]{0,15}$/).map((h) => `${h}.example.com`),
  ipv4: fc.ipV4(),
  ipv6: fc.ipV6(),
  byte: fc.uint8Array({ minLength: 1, maxLength: 24 }).map((b) => Buffer.from(b).toString('base64')),
  int64: fc.integer({ min: 0, max: 1_000_000 }).map(String),
  password: fc.stringMatching(/^[A-Za-z0-9]{12,24}$/),
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Readable, URL-safe characters: realistic names pass APIs' semantic validation far more often than random unicode. */
export const NAME_CHAR = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'.split(''));
