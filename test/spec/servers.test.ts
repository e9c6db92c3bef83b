import { describe, expect, it } from 'vitest';
import { buildOperations } from '../../src/spec/operations.ts';
import { operationBase } from '../../src/spec/servers.ts';

describe('per-operation servers', () => {
  const ops = buildOperations({
    paths: {
      '/uploads': { servers: [{ url: '/upload-api' }], post: { operationId: 'upload', responses: {} } },
      '/status': { get: { operationId: 'status', servers: [{ url: 'https://status.example.org/{v}', variables: { v: { default: 'v1' } } }], responses: {} } },
      '/plain': { get: { operationId: 'plain', responses: {} } },
    },
  });
  const op = (id: string) => ops.find((o) => o.id === id)!;

  it('are read from the operation or its path item, variables expanded', () => {
    expect(op('upload').servers).toEqual(['/upload-api']);
    expect(op('status').servers).toEqual(['https://status.example.org/v1']);
    expect(op('plain').servers).toBeUndefined();
  });

  it('relative ones are resolved against --target; without any, requests go to --target', () => {
    expect(operationBase(op('upload'), 'http://127.0.0.1:8080/api/')).toEqual({ base: 'http://127.0.0.1:8080/upload-api' });
    expect(operationBase({ id: 'x', servers: ['v2'] }, 'http://127.0.0.1:8080/api')).toEqual({ base: 'http://127.0.0.1:8080/api/v2' });
    expect(operationBase(op('plain'), 'http://127.0.0.1:8080/api/')).toEqual({ base: 'http://127.0.0.1:8080/api' });
  });

  it('absolute ones are used on the target host (or this machine), and another host is never sent to', () => {
    expect(operationBase({ id: 'x', servers: ['https://api.example.org/files'] }, 'https://api.example.org/v2')).toEqual({ base: 'https://api.example.org/files' });
    expect(operationBase({ id: 'x', servers: ['http://localhost:9000/files'] }, 'http://127.0.0.1:8080')).toEqual({ base: 'http://localhost:9000/files' });
    const other = operationBase(op('status'), 'http://127.0.0.1:8080');
    expect(other.base).toBe('http://127.0.0.1:8080');
    expect(other.warning).toBe('status: declares its own server https://status.example.org, another host than --target; sent to --target instead (run it with --target https://status.example.org/v1 --include status to test it there)');
  });
});
