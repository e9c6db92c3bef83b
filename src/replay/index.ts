import { UsageError } from '../errors.ts';
import { addressesResources, specOperations, type ReplayOptions, type ReplayOutcome } from './options.ts';
import { isPerRequestFailure, predatesReplayData, replayRequest } from './request.ts';
import { replaySequence } from './sequence.ts';

export { failureIdsOf, findFailure, type FoundFailure } from './find.ts';
export { addressesResources, type ReplayOptions, type ReplayOutcome } from './options.ts';
export { curlArguments, rebuildRequest, type RebuiltRequest, type ReplayAuthorization } from './rebuild.ts';
export { isPerRequestFailure } from './request.ts';
export { relatedOperations, sameKind } from './sequence.ts';

/**
 * Re-sends the failure's request, or re-runs its stateful sequence, and judges it with the same check. Which of the
 * two, and the intent and broken constraint the check judges against, come from the failure's data (schema 1.4).
 */
export async function replayFailure(options: ReplayOptions): Promise<ReplayOutcome> {
  const { found, profile } = options;
  if (predatesReplayData(found.result.check, found.failure, profile)) {
    options.log(`the report predates schema 1.4 and does not record how this failure's request was meant (its intent): replaying the sequence instead of the one request`);
  }
  if (isPerRequestFailure(found.result.check, found.failure, profile)) {
    const freshServer = options.target === undefined;
    const operation = (await specOperations(options)).find((o) => o.id === found.result.operationId);
    if (!operation) throw new UsageError(`operation ${found.result.operationId} is not in the ${profile.name} spec`, 'pass --spec with the OpenAPI document the run used');
    if (freshServer && addressesResources(operation, profile)) {
      options.log(`the request addresses resources the run created, which a freshly started reference server does not have: replaying the sequence that creates them instead`);
    } else if (found.failure.intent === 'lifecycle' && addressesResources(operation, profile)) {
      // A poll, a read before a change or a cleanup step followed a resource of the run: it exists only in that run.
      options.log(`the request followed a resource the run created (a lifecycle request), which exists only in that run: replaying the sequence that creates it instead`);
    } else {
      const outcome = await replayRequest(options, operation);
      if (outcome !== 'resource-gone') return outcome;
      options.log(`the resource the request addresses is gone (the run deleted what it created): replaying the sequence that creates it instead`);
    }
  }
  return replaySequence(options);
}
