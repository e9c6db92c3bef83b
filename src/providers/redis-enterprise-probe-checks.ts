import type { ProbeCheck } from '../checks/stateful/types.ts';
import { verdict } from '../checks/stateful/types.ts';

/** Redis semantics that need several requests, judged from what src/providers/redis-enterprise-checks.ts observed. */

const WRITES = new Set(['post', 'put', 'patch', 'delete']);

/** What a dry run left behind: databases that appeared after a dry-run create, or fields a dry-run update changed. */
export type DryRunObservation = { kind: 'create'; added: string[] } | { kind: 'update'; changed: string[] };

/** `dry_run` validates only: it creates nothing and changes nothing. */
export const dryRunNoSideEffect: ProbeCheck<DryRunObservation> = {
  id: 'dry-run-no-side-effect',
  description: 'A dry_run create or update creates and changes nothing',
  relevantTo: (operation, _profile, mode) => mode === 'full' && (operation.id === 'cluster_create_bdb' || operation.id === 'cluster_update_bdb'),
  judge(o) {
    if (o.kind === 'create') return verdict(o.added.length > 0 ? [`a dry_run create created database ${o.added.join(', ')}`] : []);
    return verdict(o.changed.length > 0 ? [`a dry_run update changed ${o.changed.join(', ')}`] : []);
  },
};

/** The answer to a create that named the uid of an existing database. */
export interface UidConflictObservation {
  existing: string;
  status?: number;
  errorCode?: string;
}

/** A create with the uid of an existing database is refused 409 uid_exists. */
export const uidConflict: ProbeCheck<UidConflictObservation> = {
  id: 'uid-conflict',
  description: 'A create with an existing uid is refused with 409 uid_exists',
  relevantTo: (operation, _profile, mode) => mode === 'full' && operation.id === 'cluster_create_bdb',
  judge: (o) => verdict(o.status === 409 && o.errorCode === 'uid_exists' ? [] : [`a create with the existing uid ${o.existing} was answered ${o.status}${o.errorCode ? ` ${o.errorCode}` : ''}, expected 409 uid_exists`]),
};

/** The action of an accepted change, polled until a terminal status or the timeout. */
export interface ActionObservation {
  actionUid: string;
  /** The last status the action showed (absent: none), and the last poll's HTTP status. */
  status?: string;
  httpStatus?: number;
  readyTimeoutMs: number;
}

export const TERMINAL_ACTION = ['completed', 'failed', 'cancelled'];

/** The action an update hands out can be polled to `completed` within the timeout. */
export const actionCompletes: ProbeCheck<ActionObservation> = {
  id: 'action-completes',
  description: "An update's action can be polled to completed",
  // Reported against the action read; the update that hands out the action runs only in a full run.
  relevantTo: (operation, _profile, mode) => mode === 'full' && operation.id === 'cluster_get_action',
  judge(o) {
    if (o.status === 'completed') return verdict([]);
    if (o.status && TERMINAL_ACTION.includes(o.status)) return verdict([`action ${o.actionUid} ended ${o.status}`]);
    return verdict([`action ${o.actionUid} did not reach a terminal status within ${o.readyTimeoutMs} ms (last: ${o.status ?? o.httpStatus})`]);
  },
};

/** A write sent with the read-only account: its answer and what it changed. */
export interface RoleObservation {
  method: string;
  status: number;
  /** Databases that appeared, and the one the write addressed if it went away. */
  added: string[];
  removed?: string;
}

/** With a read-only account, writes are refused and change nothing. */
export const roleEnforcement: ProbeCheck<RoleObservation> = {
  id: 'role-enforcement',
  description: 'A read-only (db_viewer) account cannot write',
  // Needs the viewer account (CONFORMANCE_VIEWER_* or the reference server's): without one it judges nothing.
  relevantTo: (operation, _profile, mode) => mode === 'full' && WRITES.has(operation.method),
  judge(o) {
    const failures: string[] = [];
    if (o.status !== 401 && o.status !== 403) failures.push(`a ${o.method.toUpperCase()} by the read-only account was answered ${o.status}, expected 403`);
    if (o.added.length > 0 || o.removed !== undefined) failures.push(`a write by the read-only account changed the databases (${o.added.length > 0 ? `uid ${o.added.join(', ')} appeared` : `uid ${o.removed} went away`})`);
    return verdict(failures);
  },
};

/** The provider's stateful checks, in report order. */
export const REDIS_PROBE_CHECKS: ProbeCheck[] = [dryRunNoSideEffect, uidConflict, actionCompletes, roleEnforcement];
