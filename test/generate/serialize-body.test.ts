import { describe, expect, it } from 'vitest';
import { serializeBody } from '../../src/generate/request.ts';

describe('bodies sent as their media type says', () => {
  it('multipart/form-data: one part per property, files as file parts, a boundary no value contains', () => {
    const schema = { type: 'object', properties: { file: { type: 'string', contentMediaType: 'image/png' }, label: { type: 'string' }, tags: { type: 'array' } } };
    const { contentType, body } = serializeBody('multipart/form-data', { file: 'abc', label: 'conformance-form-boundary', tags: ['a', 'b'] }, schema);
    expect(contentType).toBe('multipart/form-data; boundary=conformance-form-boundary-1');
    expect(body).toBe(
      '--conformance-form-boundary-1\r\nContent-Disposition: form-data; name="file"; filename="file"\r\nContent-Type: image/png\r\n\r\nabc\r\n' +
        '--conformance-form-boundary-1\r\nContent-Disposition: form-data; name="label"\r\n\r\nconformance-form-boundary\r\n' +
        '--conformance-form-boundary-1\r\nContent-Disposition: form-data; name="tags"\r\n\r\na\r\n' +
        '--conformance-form-boundary-1\r\nContent-Disposition: form-data; name="tags"\r\n\r\nb\r\n' +
        '--conformance-form-boundary-1--\r\n',
    );
  });

  it('form-urlencoded fields; JSON for JSON types; strings as they are for other types', () => {
    expect(serializeBody('application/x-www-form-urlencoded', { a: 'x y', n: 1, list: [1, 2] })).toEqual({ contentType: 'application/x-www-form-urlencoded', body: 'a=x+y&n=1&list=1&list=2' });
    expect(serializeBody('application/json', { a: 1 })).toEqual({ contentType: 'application/json', body: '{"a":1}' });
    expect(serializeBody('application/merge-patch+json', 'text')).toEqual({ contentType: 'application/merge-patch+json', body: '"text"' });
    expect(serializeBody('multipart/form-data', '{"malformed"')).toEqual({ contentType: 'multipart/form-data', body: '{"malformed"' });
  });
});
