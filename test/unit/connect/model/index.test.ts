import { describe, expect, it } from "vitest";
import {
  CONNECT_OPERATION_NAMES,
  compileModelPattern,
  connectError,
  connectOperation,
  connectShape,
  inputMember,
  isMutatingOperation,
  UnknownModelEntryError,
} from "../../../../src/connect/model/index";

describe("Connect model access", () => {
  it("lists the twenty-two operations, each with an HTTP method and path", () => {
    // Act
    const routes = CONNECT_OPERATION_NAMES.map((name) => connectOperation(name).http);

    // Assess
    expect(CONNECT_OPERATION_NAMES).toHaveLength(22);
    expect(CONNECT_OPERATION_NAMES).toContain("SearchUsers");
    expect(CONNECT_OPERATION_NAMES).toContain("DeleteQuickConnect");
    for (const route of routes) {
      expect(route.method).toMatch(/^(GET|PUT|POST|DELETE)$/);
      expect(route.requestUri.startsWith("/")).toBe(true);
    }
  });

  it("gives constraints and error statuses as the model states them", () => {
    // Act
    const maxResults = inputMember("ListUsers", "MaxResults");
    const searchMax = inputMember("SearchUsers", "MaxResults");

    // Assess
    expect(maxResults.location).toBe("querystring");
    expect(maxResults.locationName).toBe("maxResults");
    expect(connectShape(maxResults.shape)).toMatchObject({ min: 1, max: 1000 });
    expect(connectShape(searchMax.shape)).toMatchObject({ min: 1, max: 500 });
    expect(connectError("ThrottlingException").httpStatusCode).toBe(429);
    expect(connectError("LimitExceededException").httpStatusCode).toBe(429);
    expect(connectError("DuplicateResourceException").httpStatusCode).toBe(409);
  });

  it("tells mutating operations from read-only ones, including the read-only POST SearchUsers", () => {
    // Assess
    expect(isMutatingOperation("CreateUser")).toBe(true);
    expect(isMutatingOperation("UpdateUserHierarchy")).toBe(true);
    expect(isMutatingOperation("DeleteUser")).toBe(true);
    expect(isMutatingOperation("TagResource")).toBe(true);
    expect(isMutatingOperation("UntagResource")).toBe(true);
    expect(isMutatingOperation("SearchUsers")).toBe(false);
    expect(isMutatingOperation("ListUsers")).toBe(false);
  });

  it("names the missing entry when asked for a shape the model lacks", () => {
    // Act
    const lookUp = () => connectShape("NoSuchShape");

    // Assess
    expect(lookUp).toThrow(UnknownModelEntryError);
    expect(lookUp).toThrow(/NoSuchShape/);
  });
});

describe("compileModelPattern", () => {
  it("unwraps the JavaScript-literal Password pattern", () => {
    // Prepare
    const pattern = compileModelPattern(connectShape("Password").pattern ?? "");

    // Assess
    expect(pattern.test("Passw0rd!")).toBe(true);
    expect(pattern.test("password1")).toBe(false);
    expect(pattern.test("Pa5s")).toBe(false);
  });

  it("reads the double-escaped PhoneNumber pattern as the intended one", () => {
    // Prepare
    const mobile = compileModelPattern(connectShape("PhoneNumber").pattern ?? "");
    const desk = compileModelPattern(connectShape("SensitivePhoneNumber").pattern ?? "");

    // Assess
    expect(mobile.source).toBe(desk.source);
    expect(mobile.test("+442071234567")).toBe(true);
    expect(mobile.test("\\+442071234567")).toBe(true);
    expect(mobile.test("02071234567")).toBe(false);
  });

  it("leaves a pattern unanchored unless it anchors itself, as Smithy does", () => {
    // Prepare
    const region = compileModelPattern(connectShape("RegionName").pattern ?? "");

    // Assess
    expect(region.test("eu-west-2")).toBe(true);
    expect(region.test("the region eu-west-2 here")).toBe(true);
    expect(region.test("EU")).toBe(false);
  });

  it("compiles TagKey's Unicode property classes", () => {
    // Prepare
    const tagKey = compileModelPattern(connectShape("TagKey").pattern ?? "");

    // Assess
    expect(tagKey.flags).toContain("u");
    expect(tagKey.test("équipe:site/london")).toBe(true);
    expect(tagKey.test("aws:reserved")).toBe(false);
    expect(tagKey.test("semi;colon")).toBe(false);
  });

  it("keeps a genuine escaped backslash that is not a doubled regex escape", () => {
    // Prepare
    const pattern = compileModelPattern("^C:\\\\Users$");

    // Assess
    expect(pattern.test("C:\\Users")).toBe(true);
  });
});
