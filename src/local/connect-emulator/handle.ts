/**
 * ConnectEmulator: what startConnectEmulator hands back, and what the admin
 * surface works through. Lives apart from emulator.ts so that the admin
 * module and the server module both depend on it and not on each other.
 */
import type { Server } from "node:http";
import { dumpState, type EmulatorStateDump } from "./dump";
import { type FaultOptions, type FaultSettings, resolveFaults } from "./faults";
import type { LagSettings, PendingWrite } from "./lag";
import type { QuotaSettings } from "./quota";
import { type QuotaSetting, quotaFromSetting } from "./quota-settings";
import type { EmulatorRuntime } from "./runtime";
import type { EmulatorSeedInput } from "./seed";
import { resolveEmulatorSeed } from "./seed-source";
import type { CallRecord, EmulatorStats } from "./telemetry";

export interface ConnectEmulator {
  readonly url: string;
  readonly port: number;
  readonly instanceId: string;
  readonly instanceArn: string;
  readonly region: string;
  readonly accountId: string;
  close(): Promise<void>;
  dumpState(): EmulatorStateDump;
  /** Back to the starting seed, or to the given one (object or file path). */
  reset(seed?: EmulatorSeedInput | string): Promise<void>;
  stats(): EmulatorStats;
  calls(): readonly CallRecord[];
  resetStats(): void;
  setFaults(faults: FaultOptions | string | false): void;
  faults(): FaultSettings;
  /**
   * `{ rps, burst }`: one bucket shared by every operation; `true`, a spec
   * like "CreateUser=2/5" or `{ operations }`: one bucket per operation,
   * Connect's defaults with those overrides; `false`: no quota.
   */
  setQuota(quota: QuotaSetting): void;
  quota(): QuotaSettings | false;
  /** As quota(), with the tokens each bucket has left. */
  quotaState(): ReturnType<EmulatorRuntime["quotaState"]>;
  /** The lag (false without one) and the writes reads do not see yet, soonest first. */
  pending(): { lag: LagSettings | false; pending: PendingWrite[] };
  /** Makes every pending write visible to reads now. */
  flushPending(): void;
}

export interface HandleParts {
  readonly server: Server;
  readonly runtime: EmulatorRuntime;
  readonly url: string;
  readonly port: number;
}

export function createHandle({ server, runtime, url, port }: HandleParts): ConnectEmulator {
  return {
    url,
    port,
    get instanceId() {
      return runtime.state.instance.instanceId;
    },
    get instanceArn() {
      return runtime.state.instance.arn;
    },
    get region() {
      return runtime.state.instance.region;
    },
    get accountId() {
      return runtime.state.instance.accountId;
    },
    close: () => closeServer(server),
    // The true state, whatever reads see under a lag.
    dumpState: () => dumpState(runtime.state),
    reset: async (seed) =>
      runtime.reset(seed === undefined ? undefined : await resolveEmulatorSeed(seed)),
    stats: () => runtime.telemetry.stats(),
    calls: () => runtime.telemetry.calls(),
    resetStats: () => runtime.telemetry.reset(),
    setFaults: (faults) => runtime.setFaults(resolveFaults(faults)),
    faults: () => runtime.faults,
    setQuota: (quota) => runtime.setQuota(quotaFromSetting(quota)),
    quota: () => runtime.quota,
    quotaState: () => runtime.quotaState(),
    pending: () => runtime.pendingWrites(),
    flushPending: () => runtime.flushPendingWrites(),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => {
      const alreadyClosed =
        (error as NodeJS.ErrnoException | undefined)?.code === "ERR_SERVER_NOT_RUNNING";
      return error && !alreadyClosed ? reject(error) : resolve();
    });
    // Keep-alive connections from SDK clients would otherwise hold close() open.
    server.closeAllConnections();
  });
}
