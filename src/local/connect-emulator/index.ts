/** The Amazon Connect emulator: start it from code, describe its seed, read what it saw. */
export { ADMIN_PREFIX } from "./admin";
export { DEFAULT_EMULATOR_SEED } from "./default-seed";
export type { EmulatorStateDump } from "./dump";
export { type ConnectEmulatorOptions, startConnectEmulator } from "./emulator";
export {
  type FaultOptions,
  type FaultSettings,
  FaultSpecError,
  faultOptionsSchema,
  parseFaultSpec,
} from "./faults";
export type { ConnectEmulator } from "./handle";
export { InvalidLagError, type LagSettings, type PendingWrite } from "./lag";
export {
  DEFAULT_QUOTA,
  InvalidQuotaError,
  type PerOperationQuota,
  type QuotaSettings,
  type RateLimit,
  type SharedQuota,
} from "./quota";
export {
  parseQuotaSpec,
  type QuotaOverrides,
  type QuotaSetting,
} from "./quota-settings";
export {
  DEFAULT_USER_LIMIT,
  type EmulatorSeed,
  EmulatorSeedError,
  type EmulatorSeedInput,
  emulatorSeedSchema,
  loadEmulatorSeedFile,
  parseEmulatorSeed,
} from "./seed";
export type { CallRecord, EmulatorStats, InjectedFault, OperationStats } from "./telemetry";
