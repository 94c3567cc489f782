import { ChangeProtection } from "../../../src/app/protection";
import type { SyncDeps } from "../../../src/app/sync/context";
import type { HrRecord } from "../../../src/domain/hr";
import type { SyncRules } from "../../../src/domain/rules";
import { syncRules } from "../hr-fixtures";
import { FakeConnect, FakeNames } from "./connect";
import { MemoryAudit, MemoryBreaker, MemoryDirectory, MemoryEmployees } from "./stores";

/** A sync's ports, all in memory, and handles on each for the test to look at. */
export interface FakeSyncWorld {
  deps: SyncDeps;
  connect: FakeConnect;
  employees: MemoryEmployees;
  audit: MemoryAudit;
  /** The directory thin events of source "vendor" are read from. */
  vendor: MemoryDirectory;
  breaker: MemoryBreaker;
  /** Moves the world's clock on. */
  advance(seconds: number): void;
}

export function fakeSyncWorld(
  options: { rules?: SyncRules; today?: string; vendorRecords?: HrRecord[] } = {},
): FakeSyncWorld {
  const connect = new FakeConnect();
  const employees = new MemoryEmployees();
  const audit = new MemoryAudit();
  const vendor = new MemoryDirectory(options.vendorRecords);
  const names = new FakeNames();
  const breaker = new MemoryBreaker();
  const rules = options.rules ?? syncRules();
  const stored = (source: string) => ({
    confirmsAbsence: true,
    getEmployee: async (employeeId: string) =>
      (await employees.get({ source, employeeId }))?.record,
    async *listEmployees() {},
  });
  let clock = Date.parse(`${options.today ?? "2026-12-01"}T10:00:00Z`);
  const now = () => new Date(clock);
  return {
    connect,
    employees,
    audit,
    vendor,
    breaker,
    advance: (seconds) => {
      clock += seconds * 1000;
    },
    deps: {
      employees,
      audit,
      directoryFor: (source) => (source === "vendor" ? vendor : stored(source)),
      connect,
      names,
      breaker,
      protection: new ChangeProtection(connect, names, rules, () => now().getTime()),
      rules,
      settleSeconds: 600,
      now,
      newPassword: () => "Password-1",
    },
  };
}
