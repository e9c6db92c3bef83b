import { negativeDataChange } from '../checks/stateful/negative-data-change.ts';
import { invalidCases as generateInvalid } from '../generate/invalid.ts';
import { fillPath, type RequestInput } from '../generate/request.ts';
import type { Operation } from '../spec/types.ts';
import type { Cases } from './cases.ts';
import type { RunConfig } from './config.ts';
import type { EventSink } from './events.ts';
import type { ExchangeOptions, Exchanger } from './exchanger.ts';
import type { PlannedOperation } from './plan.ts';
import type { Resources } from './resources.ts';

export interface NegativeHost {
  readonly config: RunConfig;
  readonly emit: EventSink;
  readonly cases: Cases;
  readonly resources: Resources;
  readonly exchanger: Exchanger;
  isInterrupted: boolean;
  operation(id: string): Operation | undefined;
}

/**
 * Requests that each break one constraint: each must be refused with a 4xx and must change nothing.
 * A create that is wrongly accepted is recorded, so that it is cleaned up like any other.
 */
export async function invalidCases(host: NegativeHost, planned: PlannedOperation, generated: RequestInput): Promise<void> {
  const { operation } = planned;
  const { cases, resources, exchanger } = host;
  const base = cases.addressed(operation, generated);
  const updated = host.config.profile.resources.find((r) => r.update?.includes(operation.id) && base.path[r.idParam] !== undefined);
  const readOp = updated && host.operation(updated.read);
  if (!(await resources.ownership.mayWrite(operation.method.toUpperCase(), fillPath(operation.path, base.path)))) return;
  for (const invalid of generateInvalid(operation, base)) {
    if (host.isInterrupted) return;
    // A wrongly accepted invalid create holds a resource too: not sent once the cap is reached.
    if (planned.phase === 'create' && planned.resource && resources.ledger.list().length >= host.config.maxResources) return;
    const before = readOp ? (await exchanger.lifecycle(readOp, base.path)).response : undefined;
    const options: ExchangeOptions = {
      adjust: (request) => {
        if (invalid.rawBody !== undefined) request.body = invalid.rawBody;
        if (invalid.contentType) request.headers['content-type'] = invalid.contentType;
      },
      note: invalid.description,
      strict: invalid.strict,
    };
    const exchange = await exchanger.exchange(operation, 'invalid', invalid.input, options);
    const status = exchange.response?.status ?? 0;
    if (planned.phase === 'create' && planned.resource && status >= 200 && status < 300 && !cases.isDryRun(invalid.input)) resources.recordCreated(planned.resource, invalid.input, exchange.response!);
    if (updated && readOp && before?.status === 200 && status >= 200 && status < 300) {
      const after = (await exchanger.lifecycle(readOp, base.path)).response;
      const verdict = after?.status === 200 ? negativeDataChange.judge({ resource: updated.name, description: invalid.description, strict: invalid.strict === true, before: updated.echoRoot ? updated.echoRoot(before.json) : before.json, after: updated.echoRoot ? updated.echoRoot(after.json) : after.json, volatile: updated.volatile ?? [] }) : undefined;
      if (verdict && (verdict.failures.length > 0 || verdict.warnings?.length)) host.emit({ type: 'probe', operation, check: negativeDataChange.id, ...verdict, exchange });
    }
  }
}

/** The operation without credentials, with wrong ones, and with a malformed Authorization header. */
export async function authCases(host: NegativeHost, planned: PlannedOperation, generated: RequestInput): Promise<void> {
  const { operation } = planned;
  const { cases, resources, exchanger, config } = host;
  const input = cases.addressed(operation, generated);
  if (!(await resources.ownership.mayWrite(operation.method.toUpperCase(), fillPath(operation.path, input.path)))) return;
  const wrong = config.credentials.kind === 'bearer' ? 'Bearer conformance-wrong-token-0000' : `Basic ${Buffer.from('conformance-nobody:wrong-password-0000').toString('base64')}`;
  for (const [intent, authorization] of [['no-auth', undefined], ['bad-auth', wrong], ['bad-auth', 'Basic !!not-base64']] as const) {
    if (planned.phase === 'create' && planned.resource && resources.ledger.list().length >= config.maxResources) return;
    const exchange = await exchanger.exchange(operation, intent, input, { authorization: authorization ?? null });
    // A create that wrongly succeeded without valid credentials still leaves a resource: clean it up too.
    if (planned.phase === 'create' && planned.resource && exchange.response && exchange.response.status < 300 && !cases.isDryRun(input)) resources.recordCreated(planned.resource, input, exchange.response);
  }
}
