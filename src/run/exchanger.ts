import type { Check, CheckContext, Exchange, Intent } from '../checks/types.ts';
import { judge } from '../checks/types.ts';
import { allStrings, writeOnlyValues } from '../checks/write-only.ts';
import { fillPath, queryString, serializeBody, type RequestInput } from '../generate/request.ts';
import { authorizationHeader } from '../http/auth.ts';
import { overrideCredentials, withCredentialQuery } from '../http/headers.ts';
import { Transport } from '../http/transport.ts';
import { TransportError, type HttpResponse, type OutgoingRequest } from '../http/types.ts';
import { operationBase } from '../spec/servers.ts';
import type { Operation } from '../spec/types.ts';
import { costWarning, judgeable } from './body-cost.ts';
import type { RunConfig } from './config.ts';
import type { CheckOutcome, EventSink } from './events.ts';
import type { WriteTracker } from './writes.ts';

export interface ExchangeOptions {
  /** undefined sends the run's credentials, null none, a string that Authorization header instead. */
  authorization?: string | null;
  /** Changes the built request before it is sent (a raw invalid body, another content type). */
  adjust?: (request: OutgoingRequest) => void;
  /** For invalid requests: which constraint was broken. */
  note?: string;
  strict?: boolean;
  /** Whether the answer's ids are kept for later requests (the profile's harvest rules); default true. */
  harvest?: boolean;
}

export interface ExchangerHost {
  readonly config: RunConfig;
  readonly emit: EventSink;
  readonly writes: WriteTracker;
  readonly context: CheckContext;
  readonly checks: readonly Check[];
  /** Values sent in writeOnly fields, watched for in answers (the context's set). */
  readonly writeOnlyValues: Set<string>;
  stopped(): boolean;
  warnOnce(message: string): void;
  harvest(operation: Operation, response: HttpResponse | undefined): void;
}

/**
 * Every request of a run: builds it, sends it through the counted transport, runs the per-response checks on the answer
 * and emits the `exchange` event. Generated cases, probes, polls, ownership reads and cleanup all come through here.
 */
export class Exchanger {
  private readonly transport: Transport;
  /** The run's Authorization header (credentials do not change during a run). */
  private readonly authorization: string | undefined;
  private readonly acceptHeaders = new Map<Operation, string>();
  private readonly publicValues = new Set<string>();
  /** What the checks said about each exchange (read again when choosing what to shrink). */
  readonly outcomes = new WeakMap<Exchange, CheckOutcome[]>();

  constructor(private readonly host: ExchangerHost) {
    const { config } = host;
    this.authorization = authorizationHeader(config.credentials);
    this.transport = new Transport(
      { timeoutMs: config.timeoutMs, connections: Math.max(4, config.concurrency), ...(config.limiter ? { limiter: config.limiter } : {}) },
      {
        onSent: (request, status) => {
          // A 429 or 503 was not applied: the retry (or nothing) is the write.
          if (status !== 429 && status !== 503) host.writes.sent(request, status);
        },
        onTransient: (answer) => host.emit({ type: 'transient', ...answer }),
        onWarning: (message) => host.warnOnce(message),
        stopped: () => host.stopped(),
      },
    );
  }

  /** Requests put on the wire so far, retries included. */
  get sent(): number {
    return this.transport.sent;
  }

  /** Sends a request of an operation, judges the answer with the per-response checks, and reports it. */
  async exchange(operation: Operation, intent: Intent, input: RequestInput, options: ExchangeOptions = {}): Promise<Exchange> {
    const { authorization, adjust, note, strict, harvest = true } = options;
    // Deliberately invalid data is no secret: only what a valid request sends in writeOnly fields is watched for.
    if (intent === 'valid' || intent === 'lifecycle') this.noteWriteOnlyValues(operation, input);
    const request = this.buildRequest(operation, input);
    overrideCredentials(request, this.host.config, authorization);
    adjust?.(request);
    const exchange: Exchange = { operation, intent, request, input, ...(note ? { note } : {}), ...(strict !== undefined ? { strict } : {}) };
    try {
      const sent = await this.transport.send(request);
      exchange.response = sent.response;
      exchange.transientRetries = sent.retries;
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      exchange.error = error;
    }
    const outcomes: CheckOutcome[] = [];
    const { context } = this.host;
    for (const check of this.host.checks) {
      if (judgeable(check, exchange) && check.applies(exchange, context)) outcomes.push({ check: check.id, ...judge(check, exchange, context) });
    }
    const tooCostly = costWarning(exchange);
    if (tooCostly) this.host.warnOnce(tooCostly);
    this.outcomes.set(exchange, outcomes);
    this.host.emit({ type: 'exchange', exchange, outcomes });
    if (harvest) this.host.harvest(operation, exchange.response);
    return exchange;
  }

  /** A request of the run's own bookkeeping (a poll, an ownership read, a cleanup step), checked and reported like any. */
  lifecycle(operation: Operation, params: Record<string, unknown>, body?: unknown): Promise<Exchange> {
    return this.exchange(operation, 'lifecycle', { path: params, query: {}, headers: {}, ...(body !== undefined ? { body } : {}) }, { harvest: false });
  }

  /** Sends a request without the per-response checks and without reporting it (shrink trials, replay), counted all the same. */
  async send(request: OutgoingRequest): Promise<{ response: HttpResponse; retries: number }> {
    return this.transport.send(request);
  }

  /** Sends generated data without the per-response checks and without reporting it (a shrink trial), counted all the same. */
  async trial(operation: Operation, input: RequestInput): Promise<Exchange> {
    const request = this.buildRequest(operation, input);
    const exchange: Exchange = { operation, intent: 'valid', request, input };
    try {
      exchange.response = (await this.transport.send(request)).response;
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      exchange.error = error;
    }
    return exchange;
  }

  buildRequest(operation: Operation, input: RequestInput): OutgoingRequest {
    const { config } = this.host;
    const headers: Record<string, string> = {};
    let accept = this.acceptHeaders.get(operation);
    if (accept === undefined) {
      const types = new Set(operation.responses.flatMap((r) => Object.keys(r.content)));
      accept = types.size > 0 ? [...types].join(', ') : '*/*';
      this.acceptHeaders.set(operation, accept);
    }
    headers.accept = accept;
    if (config.headers) Object.assign(headers, config.headers);
    for (const [name, value] of Object.entries(input.headers)) if (value !== undefined) headers[name.toLowerCase()] = String(value);
    const auth = operation.security.length > 0 ? this.authorization : undefined;
    if (auth) headers.authorization = auth;
    let body: string | undefined;
    if (input.body !== undefined && operation.body) {
      config.redactor.learn(input.body);
      ({ contentType: headers['content-type'], body } = serializeBody(operation.body.contentType, input.body, operation.body.schema));
    }
    const { base, warning } = operationBase(operation, config.target);
    if (warning) this.host.warnOnce(warning);
    const url = withCredentialQuery(base + fillPath(operation.path, input.path) + queryString(operation, input.query), operation.security.length > 0 ? config.credentialQuery : undefined);
    return { method: operation.method.toUpperCase(), url, headers, body };
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  /**
   * Watches the values sent in writeOnly fields. A value the run also sends in or as part of a public field (a password
   * equal to a username, or inside a display name, in this request or another) may rightly come back: not watched.
   */
  private noteWriteOnlyValues(operation: Operation, input: RequestInput): void {
    const watched = this.host.writeOnlyValues;
    const secrets = writeOnlyValues(operation.body?.schema, input.body);
    const remaining = [...secrets];
    const added: string[] = [];
    for (const value of allStrings(input.body)) {
      const at = remaining.indexOf(value);
      if (at >= 0) remaining.splice(at, 1);
      else if (!this.publicValues.has(value)) {
        this.publicValues.add(value);
        added.push(value);
      }
    }
    // New secrets against every public value; the secrets already watched only against the new public values.
    for (const secret of watched) if (added.some((value) => value.includes(secret))) watched.delete(secret);
    for (const secret of secrets) {
      this.host.config.redactor.addSecret(secret);
      if (watched.has(secret)) continue;
      let isPublic = false;
      for (const value of this.publicValues) {
        if (value.includes(secret)) {
          isPublic = true;
          break;
        }
      }
      if (!isPublic) watched.add(secret);
    }
  }
}
