import { describe, expect, it } from 'vitest';
import { echoMismatches, stateSequenceFailures } from '../../src/checks/lifecycle.ts';
import { ionosStates } from '../../src/providers/ionos.ts';

const states = ionosStates();

describe('state-transitions', () => {
  it('passes the documented order BUSY -> AVAILABLE and a delete through DESTROYING', () => {
    expect(stateSequenceFailures(['BUSY', 'AVAILABLE'], states)).toEqual([]);
    expect(stateSequenceFailures(['AVAILABLE', 'DESTROYING'], states)).toEqual([]);
  });

  it('fails an undocumented state', () => {
    expect(stateSequenceFailures(['BUSY', 'PROVISIONING', 'AVAILABLE'], states)).toEqual([expect.stringContaining("undocumented state 'PROVISIONING'")]);
  });

  it('fails AVAILABLE falling back to BUSY when nothing changed, but allows it after an update', () => {
    expect(stateSequenceFailures(['AVAILABLE', 'BUSY'], states)).toEqual([expect.stringContaining('back to BUSY')]);
    expect(stateSequenceFailures(['AVAILABLE', 'BUSY', 'AVAILABLE'], states, true)).toEqual([]);
  });

  it('fails a resource that leaves DESTROYING for another state', () => {
    expect(stateSequenceFailures(['DESTROYING', 'AVAILABLE'], states, true)).toEqual([expect.stringContaining('during a delete')]);
  });
});

describe('create-echo and update-applied comparison', () => {
  it('passes when every sent value reads back, ignoring fields the read leaves out', () => {
    expect(echoMismatches({ properties: { cores: 2, displayName: 'x', password: 'secret' } }, { properties: { cores: 2, displayName: 'x' }, metadata: {} })).toEqual([]);
  });

  it('fails a value that differs, naming its path', () => {
    expect(echoMismatches({ properties: { cores: 2 } }, { properties: { cores: 4 } })).toEqual(['/properties/cores: sent 2, read 4']);
  });

  it('fails a list of objects of another length', () => {
    expect(echoMismatches({ connections: [] }, { connections: [{ lanId: '1' }] })).toEqual(['/connections: sent 0 items, read 1']);
  });

  it('compares lists of scalars as sets, and skips values whose shape differs by design', () => {
    expect(echoMismatches({ tags: ['a', 'b'] }, { tags: ['b', 'a'] })).toEqual([]);
    expect(echoMismatches({ tags: ['a', 'c'] }, { tags: ['b', 'a'] })).toHaveLength(1);
    expect(echoMismatches({ ipAccessList: { add: [{ source: '1.2.3.4' }] } }, { ipAccessList: [{ source: '1.2.3.4' }] })).toEqual([]);
  });

  it('skips ignored paths', () => {
    expect(echoMismatches({ name: 'a', memory_size: 1 }, { name: 'b', memory_size: 1 }, '', ['/name'])).toEqual([]);
  });
});
