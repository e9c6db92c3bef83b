/**
 * How the run's creates of each resource type were answered. When none succeeded, every check that follows a
 * created resource (availability, echo, list, update, use-after-delete, state transitions) ends "not applicable":
 * the run says so loudly instead of passing quietly.
 */
export class CreateOutcomes {
  private readonly byResource = new Map<string, { sent: number; created: number; statuses: Map<string, number> }>();

  /** One valid create the run sent, with its answer's status (undefined: no answer). */
  note(resource: string, status: number | undefined, created: boolean): void {
    let entry = this.byResource.get(resource);
    if (!entry) this.byResource.set(resource, (entry = { sent: 0, created: 0, statuses: new Map() }));
    entry.sent++;
    if (created) entry.created++;
    const key = status === undefined ? 'no answer' : String(status);
    entry.statuses.set(key, (entry.statuses.get(key) ?? 0) + 1);
  }

  /** The warning for a resource type none of whose creates succeeded, naming the checks that therefore did not run. */
  warning(resource: string, createOperation: string, checks: readonly string[]): string | undefined {
    const entry = this.byResource.get(resource);
    if (!entry || entry.sent === 0 || entry.created > 0) return undefined;
    const answers = [...entry.statuses].map(([status, n]) => `${status} ×${n}`).join(', ');
    return `0 of ${entry.sent} ${resource} creates succeeded (${createOperation} answered ${answers}): lifecycle checks did not run for ${resource} (${checks.join(', ')})`;
  }
}
