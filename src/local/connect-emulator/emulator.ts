/**
 * startConnectEmulator: an HTTP server on loopback that speaks Connect's
 * rest-json protocol for the user operations, plus the admin surface under
 * /_emulator/. Resolves once it listens, with its URL and a close().
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAdminRequest, isAdminPath } from "./admin";
import { type FaultOptions, resolveFaults } from "./faults";
import { type ConnectEmulator, createHandle } from "./handle";
import { resolveLag } from "./lag";
import { type QuotaOverrides, resolveQuota } from "./quota-settings";
import { EmulatorRuntime } from "./runtime";
import type { EmulatorSeedInput } from "./seed";
import { resolveEmulatorSeed } from "./seed-source";

export interface ConnectEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback by default; the emulator has no authentication. */
  host?: string;
  /** A seed object or the path of a JSON seed file; a small built-in seed otherwise. */
  seed?: EmulatorSeedInput | string;
  /**
   * One token bucket shared by every operation: requests per second (default
   * 2 when only `burst` is given; 0 turns the quota off). Without `rps` and
   * `burst`, each operation has its own bucket.
   */
  rps?: number;
  /** Burst of the shared bucket (default 5). */
  burst?: number;
  /**
   * false: no quota. A spec like "CreateUser=2/5,DescribeUser=10/20" or
   * `{ CreateUser: { rps: 2, burst: 5 } }`: per-operation buckets with those
   * overrides of Connect's defaults (and of the seed's `quota` section);
   * refused together with `rps`/`burst`. true or absent: the default.
   */
  quota?: boolean | string | QuotaOverrides;
  /**
   * Eventual consistency: each write becomes visible to reads after a delay
   * drawn uniformly from 0..lag milliseconds (default 0: no lag, every write
   * visible at once).
   */
  lag?: number;
  /** Seed of the lag's delays (default: the faults' seed, itself 1 unless given). */
  lagSeed?: number;
  /**
   * Epoch milliseconds (default Date.now): LastModifiedTime, the lag, token
   * buckets. Tests pass a clock they move to avoid waiting.
   */
  clock?: () => number;
  /** Injected faults: options or a spec string like "seed=42,throttle=0.05". */
  faults?: FaultOptions | string;
}

export async function startConnectEmulator(
  options: ConnectEmulatorOptions = {},
): Promise<ConnectEmulator> {
  const seed = await resolveEmulatorSeed(options.seed);
  const faults = resolveFaults(options.faults);
  const runtime = new EmulatorRuntime(seed, {
    quota: resolveQuota(options, seed.quota as QuotaOverrides | undefined),
    faults,
    clock: options.clock,
    lag: resolveLag(options.lag, options.lagSeed, faults.seed),
  });
  const host = options.host ?? "127.0.0.1";
  const server = createServer();
  const port = await listen(server, options.port ?? 0, host);
  const emulator = createHandle({ server, runtime, url: `http://${urlHost(host)}:${port}`, port });
  // Attached in the same tick as listen() resolves, before any connection can be read.
  server.on("request", (request, response) => {
    const url = new URL(request.url ?? "/", "http://emulator.local");
    const handled = isAdminPath(url.pathname)
      ? handleAdminRequest(emulator, request, response, url)
      : runtime.handleAwsRequest(request, response, url);
    handled.catch((error: unknown) => {
      console.error("connect emulator: request failed", error);
      response.destroy();
    });
  });
  return emulator;
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

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}
