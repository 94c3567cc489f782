/**
 * startConnectEmulator: an HTTP server on loopback that speaks Connect's
 * rest-json protocol for the user operations, plus the admin surface under
 * /_emulator/. Resolves once it listens, with its URL and a close().
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAdminRequest, isAdminPath } from "./admin";
import { DEFAULT_EMULATOR_SEED } from "./default-seed";
import { dumpState, type EmulatorStateDump } from "./dump";
import { type FaultOptions, type FaultSettings, resolveFaults } from "./faults";
import { type QuotaSettings, resolveQuota } from "./quota";
import { EmulatorRuntime } from "./runtime";
import {
  type EmulatorSeed,
  type EmulatorSeedInput,
  loadEmulatorSeedFile,
  parseEmulatorSeed,
} from "./seed";
import type { CallRecord, EmulatorStats } from "./telemetry";

export interface ConnectEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback by default; the emulator has no authentication. */
  host?: string;
  /** A seed object or the path of a JSON seed file; a small built-in seed otherwise. */
  seed?: EmulatorSeedInput | string;
  /** Quota rate in requests per second (default 2; 0 turns the quota off). */
  rps?: number;
  /** Quota burst (default 5). */
  burst?: number;
  /** false turns the quota off. */
  quota?: boolean;
  /** Injected faults: options or a spec string like "seed=42,throttle=0.05". */
  faults?: FaultOptions | string;
}

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
  setQuota(quota: { rps: number; burst: number } | false): void;
  quota(): QuotaSettings | false;
}

export async function startConnectEmulator(
  options: ConnectEmulatorOptions = {},
): Promise<ConnectEmulator> {
  const seed = await resolveSeed(options.seed);
  const runtime = new EmulatorRuntime(seed, {
    quota: resolveQuota(options),
    faults: resolveFaults(options.faults),
  });
  const host = options.host ?? "127.0.0.1";
  let emulator: ConnectEmulator | undefined;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://emulator.local");
    const handled =
      isAdminPath(url.pathname) && emulator
        ? handleAdminRequest(emulator, request, response, url)
        : runtime.handleAwsRequest(request, response, url);
    handled.catch((error: unknown) => {
      console.error("connect emulator: request failed", error);
      response.destroy();
    });
  });
  const port = await listen(server, options.port ?? 0, host);
  emulator = createHandle(server, runtime, `http://${urlHost(host)}:${port}`, port);
  return emulator;
}

async function resolveSeed(seed: EmulatorSeedInput | string | undefined): Promise<EmulatorSeed> {
  if (typeof seed === "string") return loadEmulatorSeedFile(seed);
  return parseEmulatorSeed(seed ?? DEFAULT_EMULATOR_SEED);
}

function createHandle(
  server: Server,
  runtime: EmulatorRuntime,
  url: string,
  port: number,
): ConnectEmulator {
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
    dumpState: () => dumpState(runtime.state),
    reset: async (seed) => runtime.reset(seed === undefined ? undefined : await resolveSeed(seed)),
    stats: () => runtime.telemetry.stats(),
    calls: () => runtime.telemetry.calls(),
    resetStats: () => runtime.telemetry.reset(),
    setFaults: (faults) => runtime.setFaults(resolveFaults(faults)),
    faults: () => runtime.faults,
    setQuota: (quota) => runtime.setQuota(quota === false ? false : resolveQuota(quota)),
    quota: () => runtime.quota,
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
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

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}
