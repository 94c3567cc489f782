import { describe, expect, it } from "vitest";
import type { HrDirectory } from "../../../src/app/ports/hr-directory";
import { lazyDirectory } from "../../../src/hr/lazy-directory";
import { employeeRecord } from "../../support/hr-fixtures";

describe("a vendor directory loaded with its first read", () => {
  it("loads its client once, at the first read, and answers as the client does", async () => {
    // Prepare
    const record = employeeRecord("E1");
    let loads = 0;
    const client: HrDirectory = {
      confirmsAbsence: false,
      getEmployee: async (id) => (id === "E1" ? record : undefined),
      async *listEmployees() {
        yield record;
      },
    };
    const directory = lazyDirectory(false, async () => {
      loads++;
      return client;
    });
    const loadedBeforeReading = loads;

    // Act
    const found = await directory.getEmployee("E1");
    const missing = await directory.getEmployee("E2");
    const listed: unknown[] = [];
    for await (const r of directory.listEmployees()) listed.push(r);

    // Assess
    expect(loadedBeforeReading).toBe(0);
    expect(loads).toBe(1);
    expect(found).toEqual(record);
    expect(missing).toBeUndefined();
    expect(listed).toEqual([record]);
    expect(directory.confirmsAbsence).toBe(false);
  });
});
