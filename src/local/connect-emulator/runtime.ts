/**
 * The emulator behind the socket: state, quota, faults, lag and telemetry,
 * and the pipeline every AWS-surface request goes through:
 * route -> quota -> injected faults -> model validation -> operation -> answer.
 * Writes act on the true state; with a lag, reads are answered from the
 * lag's view and each write is scheduled to reach it later.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { type ConnectOperationName, isMutatingOperation } from "../../connect/model/index";
import { describeProblems, validateConnectInput } from "../../connect/model/validate";
import { ConnectApiError, invalidParameter } from "./errors";
import { FaultInjector, type FaultSettings } from "./faults";
import { parseJsonObject, readBody, sendApiError, sendJson } from "./http";
import { type LagSettings, type PendingWrite, VisibilityLag } from "./lag";
import {
  accessKeyIdOf,
  OPERATION_HANDLERS,
  type OperationContext,
  type OperationOutput,
} from "./operations/index";

import { PageTokenCodec } from "./pagination";
import { QuotaGate, type QuotaSettings } from "./quota";
import { assembleInput, matchRoute } from "./routes";
import type { EmulatorSeed } from "./seed";
import { type Clock, EmulatorState } from "./state";
import { type CallRecord, Telemetry } from "./telemetry";

export interface RuntimeSettings {
  readonly quota: QuotaSettings | false;
  readonly faults: FaultSettings;
  /** Epoch milliseconds: LastModifiedTime, the lag and the token buckets (which otherwise use performance.now). */
  readonly clock?: Clock | undefined;
  readonly lag?: LagSettings | false | undefined;
}

export class EmulatorRuntime {
  readonly telemetry = new Telemetry();
  private initialSeed: EmulatorSeed;
  private currentState: EmulatorState;
  private pageTokens: PageTokenCodec;
  private gate: QuotaGate | undefined;
  private injector: FaultInjector;
  private readonly clock: Clock | undefined;
  private readonly lagSettings: LagSettings | undefined;
  private lag: VisibilityLag | undefined;

  constructor(seed: EmulatorSeed, settings: RuntimeSettings) {
    this.initialSeed = seed;
    this.clock = settings.clock;
    this.currentState = new EmulatorState(seed, this.clock);
    this.pageTokens = new PageTokenCodec(`page-token:${seed.instanceId}`);
    this.gate = settings.quota ? new QuotaGate(settings.quota, this.clock) : undefined;
    this.injector = new FaultInjector(settings.faults);
    this.lagSettings = settings.lag || undefined;
    this.lag = this.newLag();
  }

  get state(): EmulatorState {
    return this.currentState;
  }

  /** Back to the first seed, or to a new one (which then becomes the one to reset to). */
  reset(seed?: EmulatorSeed): void {
    if (seed) this.initialSeed = seed;
    this.currentState = new EmulatorState(this.initialSeed, this.clock);
    this.pageTokens = new PageTokenCodec(`page-token:${this.initialSeed.instanceId}`);
    this.lag = this.newLag();
  }

  /** The lag's settings and the writes reads do not see yet. */
  pendingWrites(): { lag: LagSettings | false; pending: PendingWrite[] } {
    this.lag?.settle();
    return { lag: this.lagSettings ?? false, pending: this.lag?.pending() ?? [] };
  }

  /** Makes every pending write visible now. */
  flushPendingWrites(): void {
    this.lag?.settle(true);
  }

  get seed(): EmulatorSeed {
    return this.initialSeed;
  }

  /** New settings restart the fault sequence from their seed. */
  setFaults(settings: FaultSettings): void {
    this.injector = new FaultInjector(settings);
  }

  get faults(): FaultSettings {
    return this.injector.settings;
  }

  /** New settings start with full buckets. */
  setQuota(settings: QuotaSettings | false): void {
    this.gate = settings ? new QuotaGate(settings, this.clock) : undefined;
  }

  get quota(): QuotaSettings | false {
    return this.gate?.settings ?? false;
  }

  /** The settings with the tokens each bucket has left. */
  quotaState() {
    return this.gate?.describe() ?? false;
  }

  async handleAwsRequest(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
  ): Promise<void> {
    const requestId = randomUUID();
    const method = request.method ?? "GET";
    const match = matchRoute(method, url.pathname);
    const record = this.telemetry.begin({
      requestId,
      operation: match?.route.operation,
      method,
      path: url.pathname,
    });
    try {
      const body = await readBody(request);
      if (!match) {
        throw new ConnectApiError(
          "UnknownOperationException",
          `No operation matches ${method} ${url.pathname}.`,
        );
      }
      if (this.gate && !this.gate.tryTake(match.route.operation)) {
        record.throttledByQuota = true;
        throw new ConnectApiError("ThrottlingException", "Rate exceeded");
      }
      const decision = this.injector.next();
      if (decision.latencyMs > 0) {
        this.telemetry.addedLatency(decision.latencyMs);
        await delay(decision.latencyMs);
      }
      if (decision.throttle) {
        record.fault = "throttle";
        throw new ConnectApiError("ThrottlingException", "Rate exceeded");
      }
      if (decision.internal) {
        record.fault = "internal";
        throw new ConnectApiError(
          "InternalServiceException",
          "Injected fault: internal service error.",
        );
      }
      const operation = match.route.operation;
      const mutating = isMutatingOperation(operation);
      const input = assembleInput(match, url.searchParams, parseJsonObject(body));
      // Members the model does not know are ignored, as AWS services do for forward compatibility.
      const problems = validateConnectInput(operation, input).filter(
        (problem) => problem.kind !== "unknown",
      );
      if (problems.length > 0) throw invalidParameter(describeProblems(problems));
      const output = this.runOperation(operation, mutating, {
        input,
        pageTokens: this.pageTokens,
        callerAccessKeyId: accessKeyIdOf(request.headers.authorization),
      });
      if (decision.appliedThenFailed && mutating) {
        if (decision.drop) return this.dropConnection(request, record);
        record.fault = "applied-then-failed";
        throw new ConnectApiError(
          "InternalServiceException",
          "Injected fault: the change was applied, the answer failed.",
        );
      }
      sendJson(response, 200, output, { "x-amzn-RequestId": requestId });
      this.telemetry.end(record, 200);
    } catch (error) {
      const apiError = asApiError(error);
      sendApiError(response, apiError, requestId);
      this.telemetry.end(record, apiError.status, apiError.errorName);
    }
  }

  /** Writes act on the true state and reach the view later; reads see the view. */
  private runOperation(
    operation: ConnectOperationName,
    mutating: boolean,
    context: Omit<OperationContext, "state">,
  ): OperationOutput {
    const lag = this.lag;
    if (!lag) return OPERATION_HANDLERS[operation]({ ...context, state: this.currentState });
    lag.settle();
    if (!mutating) return OPERATION_HANDLERS[operation]({ ...context, state: lag.view });
    try {
      return OPERATION_HANDLERS[operation]({ ...context, state: this.currentState });
    } finally {
      lag.schedule(this.currentState.takeChanges(), this.currentState, operation);
    }
  }

  private newLag(): VisibilityLag | undefined {
    if (!this.lagSettings) return undefined;
    return new VisibilityLag(this.lagSettings, this.currentState, this.clock ?? Date.now);
  }

  private dropConnection(request: IncomingMessage, record: CallRecord): void {
    record.fault = "dropped";
    this.telemetry.end(record, 0, "ConnectionDropped");
    request.socket.destroy();
  }
}

function asApiError(error: unknown): ConnectApiError {
  if (error instanceof ConnectApiError) return error;
  // A bug in the emulator: answer as the service would, and say so on stderr (no request data).
  console.error("connect emulator: unexpected error", error);
  return new ConnectApiError(
    "InternalServiceException",
    "The emulator failed to process the request.",
  );
}
