import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ConnectInputProblem,
  describeProblems,
  validateConnectInput,
} from "../../../../src/connect/model/validate";

const INSTANCE_ID = "7c1a1f6e-5b1d-4c59-9a55-3f0c3f5b8e01";

function createUserInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    InstanceId: INSTANCE_ID,
    Username: "jane.doe",
    IdentityInfo: { FirstName: "Jane", LastName: "Doe" },
    RoutingProfileId: "rp-1",
    SecurityProfileIds: ["sp-1"],
    ...overrides,
  };
}

const paths = (problems: ConnectInputProblem[]) => problems.map((problem) => problem.path);
const ids = (count: number) => Array.from({ length: count }, (_, index) => `sp-${index}`);
const tags = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, index) => [`key${index}`, "value"]));

describe("validateConnectInput", () => {
  it("accepts a complete, valid CreateUser input", () => {
    // Act
    const problems = validateConnectInput("CreateUser", createUserInput());

    // Assess
    expect(problems).toEqual([]);
  });

  it("names every missing required member", () => {
    // Act
    const problems = validateConnectInput("CreateUser", { InstanceId: INSTANCE_ID });

    // Assess
    expect(
      problems
        .filter((problem) => problem.kind === "required")
        .map((p) => p.path)
        .sort(),
    ).toEqual(["RoutingProfileId", "SecurityProfileIds", "Username"]);
  });

  it("treats null as absent, as the wire does", () => {
    // Act
    const problems = validateConnectInput(
      "CreateUser",
      createUserInput({ RoutingProfileId: null, HierarchyGroupId: null }),
    );

    // Assess
    expect(problems).toEqual([
      expect.objectContaining({ path: "RoutingProfileId", kind: "required" }),
    ]);
  });

  it("bounds SecurityProfileIds at 1 to 10 entries", () => {
    // Act
    const ten = validateConnectInput(
      "CreateUser",
      createUserInput({ SecurityProfileIds: ids(10) }),
    );
    const eleven = validateConnectInput(
      "CreateUser",
      createUserInput({ SecurityProfileIds: ids(11) }),
    );
    const none = validateConnectInput("CreateUser", createUserInput({ SecurityProfileIds: [] }));

    // Assess
    expect(ten).toEqual([]);
    expect(eleven).toEqual([
      {
        path: "SecurityProfileIds",
        kind: "length",
        message: "Member must have length less than or equal to 10",
      },
    ]);
    expect(none).toEqual([
      {
        path: "SecurityProfileIds",
        kind: "length",
        message: "Member must have length greater than or equal to 1",
      },
    ]);
  });

  it("reports a bad list element by its index", () => {
    // Act
    const problems = validateConnectInput(
      "CreateUser",
      createUserInput({ SecurityProfileIds: ["a", "b", "c", 4] }),
    );

    // Assess
    expect(problems).toEqual([
      { path: "SecurityProfileIds[3]", kind: "type", message: "Member must be a string" },
    ]);
  });

  it("checks nested string lengths in code points, with the member path", () => {
    // Prepare
    const emoji = "😀";

    // Act
    const inside = validateConnectInput(
      "CreateUser",
      createUserInput({ IdentityInfo: { FirstName: emoji.repeat(255), LastName: "x" } }),
    );
    const outside = validateConnectInput(
      "CreateUser",
      createUserInput({ IdentityInfo: { FirstName: "a".repeat(256), LastName: "x" } }),
    );

    // Assess
    expect(inside).toEqual([]);
    expect(outside).toEqual([
      expect.objectContaining({ path: "IdentityInfo.FirstName", kind: "length" }),
    ]);
  });

  it("bounds Username at the model's 100 characters", () => {
    // Act
    const inside = validateConnectInput(
      "CreateUser",
      createUserInput({ Username: "u".repeat(100) }),
    );
    const outside = validateConnectInput(
      "CreateUser",
      createUserInput({ Username: "u".repeat(101) }),
    );

    // Assess
    expect(inside).toEqual([]);
    expect(paths(outside)).toEqual(["Username"]);
  });

  it("refuses a PhoneType outside its enum, listing the allowed values", () => {
    // Act
    const problems = validateConnectInput("UpdateUserPhoneConfig", {
      InstanceId: INSTANCE_ID,
      UserId: "u-1",
      PhoneConfig: { PhoneType: "MOBILE_PHONE" },
    });

    // Assess
    expect(problems).toEqual([
      {
        path: "PhoneConfig.PhoneType",
        kind: "enum",
        message: "Member must satisfy enum value set: [SOFT_PHONE, DESK_PHONE]",
      },
    ]);
  });

  it("accepts an AfterContactWorkTimeLimit of 0 and refuses -1", () => {
    // Prepare
    const input = (limit: number) => ({
      InstanceId: INSTANCE_ID,
      UserId: "u-1",
      PhoneConfig: { AfterContactWorkTimeLimit: limit },
    });

    // Act
    const zero = validateConnectInput("UpdateUserPhoneConfig", input(0));
    const negative = validateConnectInput("UpdateUserPhoneConfig", input(-1));

    // Assess
    expect(zero).toEqual([]);
    expect(negative).toEqual([
      expect.objectContaining({ path: "PhoneConfig.AfterContactWorkTimeLimit", kind: "range" }),
    ]);
  });

  it("accepts ListUsers MaxResults exactly when 1 <= n <= 1000, and only integers", () => {
    fc.assert(
      fc.property(fc.integer({ min: -5000, max: 5000 }), (maxResults) => {
        // Act
        const problems = validateConnectInput("ListUsers", {
          InstanceId: INSTANCE_ID,
          MaxResults: maxResults,
        });

        // Assess
        const valid = maxResults >= 1 && maxResults <= 1000;
        expect(problems.length === 0).toBe(valid);
        if (!valid) expect(problems[0]?.kind).toBe("range");
      }),
    );
    expect(
      validateConnectInput("ListUsers", { InstanceId: INSTANCE_ID, MaxResults: "10" })[0]?.kind,
    ).toBe("type");
    expect(
      validateConnectInput("ListUsers", { InstanceId: INSTANCE_ID, MaxResults: 1.5 })[0]?.kind,
    ).toBe("type");
  });

  it("bounds SearchUsers MaxResults at 500 and NextToken at 2500 characters", () => {
    // Act
    const inside = validateConnectInput("SearchUsers", {
      InstanceId: INSTANCE_ID,
      MaxResults: 500,
      NextToken: "t".repeat(2500),
    });
    const outside = validateConnectInput("SearchUsers", {
      InstanceId: INSTANCE_ID,
      MaxResults: 501,
      NextToken: "t".repeat(2501),
    });

    // Assess
    expect(inside).toEqual([]);
    expect(outside.map((problem) => [problem.path, problem.kind])).toEqual([
      ["NextToken", "length"],
      ["MaxResults", "range"],
    ]);
  });

  it("checks the DeskPhoneNumber pattern", () => {
    // Prepare
    const input = (number: string) => ({
      InstanceId: INSTANCE_ID,
      UserId: "u-1",
      PhoneConfig: { PhoneType: "DESK_PHONE", DeskPhoneNumber: number },
    });

    // Act
    const e164 = validateConnectInput("UpdateUserPhoneConfig", input("+442071234567"));
    const national = validateConnectInput("UpdateUserPhoneConfig", input("02071234567"));

    // Assess
    expect(e164).toEqual([]);
    expect(national).toEqual([
      expect.objectContaining({ path: "PhoneConfig.DeskPhoneNumber", kind: "pattern" }),
    ]);
  });

  it("checks the Password pattern without echoing the password", () => {
    // Act
    const good = validateConnectInput(
      "CreateUser",
      createUserInput({ Password: "Str0ngPassw0rd" }),
    );
    const weak = validateConnectInput("CreateUser", createUserInput({ Password: "weakpassword" }));

    // Assess
    expect(good).toEqual([]);
    expect(weak).toHaveLength(1);
    expect(weak[0]).toMatchObject({ path: "Password", kind: "pattern" });
    expect(weak[0]?.message).not.toContain("weakpassword");
  });

  it("bounds Tags at 50 entries and refuses keys that start with aws:", () => {
    // Act
    const fifty = validateConnectInput("CreateUser", createUserInput({ Tags: tags(50) }));
    const fiftyOne = validateConnectInput("CreateUser", createUserInput({ Tags: tags(51) }));
    const reserved = validateConnectInput(
      "CreateUser",
      createUserInput({ Tags: { "aws:team": "x", équipe: "y" } }),
    );
    const longValue = validateConnectInput(
      "CreateUser",
      createUserInput({ Tags: { team: "v".repeat(257) } }),
    );

    // Assess
    expect(fifty).toEqual([]);
    expect(fiftyOne).toEqual([expect.objectContaining({ path: "Tags", kind: "length" })]);
    expect(reserved).toEqual([
      expect.objectContaining({ path: 'Tags["aws:team"]', kind: "pattern" }),
    ]);
    expect(reserved[0]?.message).toMatch(/^Map key/);
    expect(longValue).toEqual([expect.objectContaining({ path: 'Tags["team"]', kind: "length" })]);
  });

  it("walks recursive search criteria and reports the deep path", () => {
    // Act
    const problems = validateConnectInput("SearchUsers", {
      InstanceId: INSTANCE_ID,
      SearchCriteria: {
        AndConditions: [
          {
            StringCondition: { FieldName: "Username", Value: "jo", ComparisonType: "STARTS_WITH" },
          },
          { StringCondition: { FieldName: "FirstName", Value: "Jo", ComparisonType: "LIKE" } },
        ],
      },
    });

    // Assess
    expect(paths(problems)).toEqual([
      "SearchCriteria.AndConditions[1].StringCondition.ComparisonType",
    ]);
  });

  it("reports members the model does not know, and wrong container types", () => {
    // Act
    const problems = validateConnectInput(
      "CreateUser",
      createUserInput({ IdentityInfo: { Firstname: "Jane" }, PhoneConfig: "soft" }),
    );

    // Assess
    expect(problems).toEqual([
      { path: "IdentityInfo.Firstname", kind: "unknown", message: "Member is not in the model" },
      { path: "PhoneConfig", kind: "type", message: "Member must be an object" },
    ]);
  });

  it("refuses an input that is not an object", () => {
    // Act
    const problems = validateConnectInput("DescribeUser", "user-1");

    // Assess
    expect(problems).toEqual([
      { path: "(input)", kind: "type", message: "Member must be an object" },
    ]);
  });
});

describe("describeProblems", () => {
  it("words problems as AWS validation errors do", () => {
    // Act
    const text = describeProblems([
      {
        path: "Username",
        kind: "length",
        message: "Member must have length less than or equal to 100",
      },
    ]);

    // Assess
    expect(text).toBe(
      "1 validation error detected: Value at 'Username' failed to satisfy constraint: Member must have length less than or equal to 100",
    );
  });
});
