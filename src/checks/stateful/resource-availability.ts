import { lifecycleResources } from './relevance.ts';
import { verdict, type ProbeCheck } from './types.ts';

/** What the probe saw while reading a created resource until it was ready (or the timeout ran out). */
export interface AvailabilityObservation {
  resource: string;
  /** The read, as `GET /path`. */
  read: string;
  /** Whether any read answered 200. */
  readable: boolean;
  /** The last read's status, or its transport error. */
  lastAnswer?: number | string;
  /** The documented ready and failed states (absent: the resource has no states; readable is ready). */
  states?: { ready: string[]; failed: string[] };
  /** The ready or failed state the reads ended in, if any. */
  reached?: string;
  seen: string[];
  readyTimeoutMs: number;
  /** The run stopped watching (interrupted): not reaching a state is then no failure. */
  interrupted: boolean;
}

/** A created resource can be read at once and becomes ready within the timeout, not failed. */
export const resourceAvailability: ProbeCheck<AvailabilityObservation> = {
  id: 'resource-availability',
  description: 'A created resource can be read and becomes ready within the timeout',
  relevantTo: (operation, profile, mode) => lifecycleResources(profile, mode, (r) => r.create === operation.id).length > 0,
  judge(o) {
    if (!o.readable) return verdict([`the created ${o.resource} cannot be read: ${o.read} answered ${o.lastAnswer}`]);
    if (o.states && !o.reached && !o.interrupted) return verdict([`the created ${o.resource} did not become ${o.states.ready.join('/')} within ${o.readyTimeoutMs} ms (states seen: ${o.seen.join(' -> ') || 'none'})`]);
    if (o.states && o.reached !== undefined && o.states.failed.includes(o.reached)) return verdict([`the created ${o.resource} ended in ${o.reached}`]);
    return verdict([]);
  },
};
