import { authorizationHeader } from '../http/auth.ts';
import type { HarRecorder } from '../report/har.ts';
import { ResultCollector, type ConformanceReport } from '../report/model.ts';
import { AccessGuard } from '../run/access-guard.ts';
import type { EventSink } from '../run/events.ts';
import { Ledger } from '../run/ledger.ts';
import { checkReachable, prepareRun, type RunOptions } from '../run/orchestrate.ts';
import { describePlan } from '../run/plan.ts';
import { Session } from '../run/session.ts';

/**
 * One provider's run wired to its report: the engine (src/run/) emits events, the collector (src/report/) turns them
 * into the report. This is the one place where the two meet, so that src/run/ never imports src/report/.
 */
export interface ProviderRunOptions extends RunOptions {
  /** Records every exchange, redacted, for --report har. */
  har?: HarRecorder;
  /** Receives every engine event (progress printing). */
  onEvent?: EventSink;
  /** Receives the plan before anything is sent. */
  onPlan?: (lines: string[]) => void;
  /** With dryPlan: list every operation with the checks that apply to it. */
  list?: boolean;
  /** Called with the session once it exists, so a signal handler can interrupt it. */
  onSession?: (session: Session) => void;
}

/** Runs one provider end to end and returns its report. The reference server, if started, is stopped. */
export async function runProvider(options: ProviderRunOptions): Promise<ConformanceReport | undefined> {
  const { config, server } = await prepareRun(options);
  try {
    if (!server && !options.dryPlan) config.requestsBefore = (config.requestsBefore ?? 0) + (await checkReachable(config.target));
    const collector = new ResultCollector(config.redactor);
    const running: { session?: Session } = {};
    const access = new AccessGuard(config.variables, authorizationHeader(config.credentials), () => running.session?.interrupt('access-refused'));
    // A plan sends nothing and creates nothing: its ledger stays in memory, and a crash ledger on disk is left as it is.
    const session = new Session(config, (event) => {
      access.observe(event);
      collector.sink(event);
      if (options.har && event.type === 'exchange') options.har.add(event.exchange, config.redactor, config.profile.name);
      // What is printed leaves the process too: warnings (which may quote an answer) are redacted like the reports.
      if (!options.dryPlan) options.onEvent?.(event.type === 'warning' ? { ...event, message: config.redactor.text(event.message) } : event);
    }, options.dryPlan ? new Ledger(undefined) : undefined);
    running.session = session;
    options.onPlan?.(describePlan(session.plan, { examples: config.examples, maxResources: config.maxResources, mode: config.mode, provider: config.profile.name }, options.list ? session.checksFor : undefined));
    if (options.dryPlan) {
      await session.finish();
      return undefined;
    }
    options.onSession?.(session);
    try {
      for (const planned of session.plan) await session.runOperation(planned);
    } finally {
      await session.finish();
    }
    // A run that could not reach the API with its credentials or path variables tested nothing: it must not pass.
    const refused = access.verdict();
    if (refused) throw refused;
    return collector.report();
  } finally {
    await server?.close();
  }
}
