import {
  DescribeUserCommand,
  paginateSearchUsers,
  SearchUsersCommand,
  type SearchUsersCommandInput,
} from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import { structureMember } from "../../../src/connect/model/index";
import type { EmulatorSeedInput } from "../../../src/local/connect-emulator/index";
import { STRING_CONDITION_FIELDS } from "../../../src/local/connect-emulator/operations/search-conditions";
import {
  type EmulatorFixture,
  expectConnectError,
  SAML_SEED,
  settle,
  useEmulator,
} from "./support";

const SEARCH_SEED: EmulatorSeedInput = {
  ...SAML_SEED,
  users: [
    ...(SAML_SEED.users ?? []),
    {
      username: "jane.doe",
      firstName: "Jane",
      lastName: "Doe",
      routingProfile: "UK Support",
      securityProfiles: ["Agent"],
      hierarchyGroup: "EMEA/London/Support",
      tags: { team: "support", site: "london" },
    },
    {
      username: "john.smith",
      firstName: "John",
      lastName: "Smith",
      routingProfile: "UK Support",
      securityProfiles: ["Agent", "CallCenterManager"],
      hierarchyGroup: "EMEA/London/Sales",
      tags: { team: "sales", site: "london" },
    },
    {
      username: "maria.garcia",
      firstName: "María",
      lastName: "García",
      routingProfile: "US Sales",
      securityProfiles: ["Agent"],
      hierarchyGroup: "AMER/Austin/Support",
      tags: { team: "support", site: "austin" },
    },
    {
      username: "legacy.agent",
      firstName: "Lee",
      lastName: "Gacy",
      email: "lee@example.com",
      routingProfile: "Basic Routing Profile",
      securityProfiles: ["Agent"],
      phone: { type: "SOFT_PHONE", afterContactWorkTimeLimit: 60 },
    },
  ],
};

async function search(
  fixture: EmulatorFixture,
  input: Omit<SearchUsersCommandInput, "InstanceId"> = {},
) {
  return fixture.client.send(new SearchUsersCommand({ InstanceId: fixture.instanceId, ...input }));
}

async function usernames(
  fixture: EmulatorFixture,
  input: Omit<SearchUsersCommandInput, "InstanceId">,
) {
  const result = await search(fixture, input);
  return (result.Users ?? []).map((user) => user.Username);
}

describe("SearchUsers results", () => {
  const fixture = useEmulator({ seed: SEARCH_SEED });

  it("returns every user by user name, with the total count", async () => {
    // Act
    const result = await search(fixture);

    // Assess
    expect(result.Users?.map((user) => user.Username)).toEqual([
      "admin",
      "jane.doe",
      "john.smith",
      "legacy.agent",
      "maria.garcia",
    ]);
    expect(result.ApproximateTotalCount).toBe(5);
    expect(result.NextToken).toBeUndefined();
  });

  it("summarises a user with first and last name only, tags, and ACW in milliseconds where DescribeUser says seconds", async () => {
    // Prepare
    const userId = fixture.userId("legacy.agent");

    // Act
    const [summary] =
      (
        await search(fixture, {
          SearchCriteria: {
            StringCondition: { FieldName: "resourceId", Value: userId, ComparisonType: "EXACT" },
          },
        })
      ).Users ?? [];
    const { User: described } = await fixture.client.send(
      new DescribeUserCommand({ InstanceId: fixture.instanceId, UserId: userId }),
    );

    // Assess
    expect(summary).toMatchObject({
      Id: userId,
      Arn: described?.Arn,
      Username: "legacy.agent",
      IdentityInfo: { FirstName: "Lee", LastName: "Gacy" },
      RoutingProfileId: fixture.routingProfileId("Basic Routing Profile"),
      SecurityProfileIds: [fixture.securityProfileId("Agent")],
    });
    expect(summary?.IdentityInfo).not.toHaveProperty("Email");
    expect(described?.IdentityInfo?.Email).toBe("lee@example.com");
    expect(summary?.PhoneConfig?.AfterContactWorkTimeLimit).toBe(60_000);
    expect(described?.PhoneConfig?.AfterContactWorkTimeLimit).toBe(60);
    const [tagged] =
      (
        await search(fixture, {
          SearchCriteria: {
            StringCondition: { FieldName: "Username", Value: "jane.doe", ComparisonType: "EXACT" },
          },
        })
      ).Users ?? [];
    expect(tagged?.Tags).toEqual({ team: "support", site: "london" });
  });
});

describe("SearchUsers string conditions", () => {
  const fixture = useEmulator({ seed: SEARCH_SEED });

  it("matches user names exactly, by prefix and by substring, without regard to case", async () => {
    // Act
    const exact = await usernames(fixture, {
      SearchCriteria: {
        StringCondition: { FieldName: "Username", Value: "JANE.DOE", ComparisonType: "EXACT" },
      },
    });
    const prefix = await usernames(fixture, {
      SearchCriteria: {
        StringCondition: { FieldName: "Username", Value: "j", ComparisonType: "STARTS_WITH" },
      },
    });
    const contains = await usernames(fixture, {
      SearchCriteria: {
        StringCondition: { FieldName: "Username", Value: "ar", ComparisonType: "CONTAINS" },
      },
    });

    // Assess
    expect(exact).toEqual(["jane.doe"]);
    expect(prefix).toEqual(["jane.doe", "john.smith"]);
    expect(contains).toEqual(["maria.garcia"]);
  });

  it("matches first and last names, including accented ones", async () => {
    // Act
    const firstName = await usernames(fixture, {
      SearchCriteria: {
        StringCondition: { FieldName: "FirstName", Value: "maría", ComparisonType: "EXACT" },
      },
    });
    const lastName = await usernames(fixture, {
      SearchCriteria: {
        StringCondition: { FieldName: "LastName", Value: "Sm", ComparisonType: "STARTS_WITH" },
      },
    });

    // Assess
    expect(firstName).toEqual(["maria.garcia"]);
    expect(lastName).toEqual(["john.smith"]);
  });

  it("matches routing profile and security profile ids", async () => {
    // Act
    const routing = await usernames(fixture, {
      SearchCriteria: {
        StringCondition: {
          FieldName: "RoutingProfileId",
          Value: fixture.routingProfileId("UK Support"),
          ComparisonType: "EXACT",
        },
      },
    });
    const security = await usernames(fixture, {
      SearchCriteria: {
        StringCondition: {
          FieldName: "SecurityProfileId",
          Value: fixture.securityProfileId("CallCenterManager"),
          ComparisonType: "EXACT",
        },
      },
    });

    // Assess
    expect(routing).toEqual(["jane.doe", "john.smith"]);
    expect(security).toEqual(["john.smith"]);
  });

  it("combines conditions with AndConditions and OrConditions, nested", async () => {
    // Prepare
    const ukSupport = {
      StringCondition: {
        FieldName: "RoutingProfileId",
        Value: fixture.routingProfileId("UK Support"),
        ComparisonType: "EXACT" as const,
      },
    };

    // Act
    const both = await usernames(fixture, {
      SearchCriteria: {
        AndConditions: [
          ukSupport,
          {
            StringCondition: { FieldName: "FirstName", Value: "Jo", ComparisonType: "STARTS_WITH" },
          },
        ],
      },
    });
    const either = await usernames(fixture, {
      SearchCriteria: {
        OrConditions: [
          { StringCondition: { FieldName: "Username", Value: "admin", ComparisonType: "EXACT" } },
          {
            AndConditions: [
              ukSupport,
              { StringCondition: { FieldName: "LastName", Value: "Doe", ComparisonType: "EXACT" } },
            ],
          },
        ],
      },
    });

    // Assess
    expect(both).toEqual(["john.smith"]);
    expect(either).toEqual(["admin", "jane.doe"]);
  });

  it("refuses an unsupported field name and a one-character CONTAINS search with InvalidParameterException", async () => {
    // Act
    const unknownField = settle(
      search(fixture, {
        SearchCriteria: {
          StringCondition: { FieldName: "Email", Value: "x@example.com", ComparisonType: "EXACT" },
        },
      }),
    );
    const tooShort = settle(
      search(fixture, {
        SearchCriteria: {
          StringCondition: { FieldName: "Username", Value: "a", ComparisonType: "CONTAINS" },
        },
      }),
    );

    // Assess
    await expectConnectError(unknownField, "InvalidParameterException", 400);
    await expectConnectError(tooShort, "InvalidParameterException", 400);
  });
});

describe("SearchUsers hierarchy and tag conditions", () => {
  const fixture = useEmulator({ seed: SEARCH_SEED });

  it("matches a hierarchy group exactly or with its child groups", async () => {
    // Prepare
    const emea = fixture.hierarchyGroupId("EMEA");

    // Act
    const exact = await usernames(fixture, {
      SearchCriteria: {
        HierarchyGroupCondition: { Value: emea, HierarchyGroupMatchType: "EXACT" },
      },
    });
    const withChildren = await usernames(fixture, {
      SearchCriteria: {
        HierarchyGroupCondition: { Value: emea, HierarchyGroupMatchType: "WITH_CHILD_GROUPS" },
      },
    });

    // Assess
    expect(exact).toEqual(["admin"]);
    expect(withChildren).toEqual(["admin", "jane.doe", "john.smith"]);
  });

  it("filters by tags: an OR of ANDs, an AND list, or one condition", async () => {
    // Act
    const orOfAnds = await usernames(fixture, {
      SearchFilter: {
        TagFilter: {
          OrConditions: [
            [
              { TagKey: "team", TagValue: "support" },
              { TagKey: "site", TagValue: "austin" },
            ],
            [{ TagKey: "team", TagValue: "sales" }],
          ],
        },
      },
    });
    const andList = await usernames(fixture, {
      SearchFilter: {
        TagFilter: {
          AndConditions: [
            { TagKey: "site", TagValue: "london" },
            { TagKey: "team", TagValue: "support" },
          ],
        },
      },
    });
    const single = await usernames(fixture, {
      SearchFilter: { TagFilter: { TagCondition: { TagKey: "site", TagValue: "london" } } },
    });

    // Assess
    expect(orOfAnds).toEqual(["john.smith", "maria.garcia"]);
    expect(andList).toEqual(["jane.doe"]);
    expect(single).toEqual(["jane.doe", "john.smith"]);
  });

  it("filters by user attributes: tags and hierarchy group together", async () => {
    // Act
    const result = await usernames(fixture, {
      SearchFilter: {
        UserAttributeFilter: {
          AndCondition: {
            TagConditions: [{ TagKey: "team", TagValue: "support" }],
            HierarchyGroupCondition: {
              Value: fixture.hierarchyGroupId("AMER"),
              HierarchyGroupMatchType: "WITH_CHILD_GROUPS",
            },
          },
        },
      },
    });

    // Assess
    expect(result).toEqual(["maria.garcia"]);
  });

  it("answers AccessDeniedException when TagFilter and UserAttributeFilter are combined, as documented", async () => {
    // Act
    const call = settle(
      search(fixture, {
        SearchFilter: {
          TagFilter: { TagCondition: { TagKey: "team", TagValue: "support" } },
          UserAttributeFilter: { TagCondition: { TagKey: "team", TagValue: "support" } },
        },
      }),
    );

    // Assess
    await expectConnectError(call, "AccessDeniedException", 403);
  });

  it("refuses a user attribute filter with more than one field populated", async () => {
    // Act
    const call = settle(
      search(fixture, {
        SearchFilter: {
          UserAttributeFilter: {
            TagCondition: { TagKey: "team", TagValue: "support" },
            HierarchyGroupCondition: { Value: fixture.hierarchyGroupId("AMER") },
          },
        },
      }),
    );

    // Assess
    await expectConnectError(call, "InvalidParameterException", 400);
  });
});

describe("SearchUsers pagination", () => {
  const fixture = useEmulator({ seed: SEARCH_SEED });

  it("pages with an opaque NextToken and keeps the total count on every page", async () => {
    // Act
    const pages = [];
    for await (const page of paginateSearchUsers(
      { client: fixture.client, pageSize: 2 },
      { InstanceId: fixture.instanceId },
    )) {
      pages.push(page);
    }

    // Assess
    expect(pages.map((page) => page.Users?.length)).toEqual([2, 2, 1]);
    expect(pages.map((page) => page.ApproximateTotalCount)).toEqual([5, 5, 5]);
    expect(pages.flatMap((page) => page.Users ?? []).map((user) => user.Username)).toEqual([
      "admin",
      "jane.doe",
      "john.smith",
      "legacy.agent",
      "maria.garcia",
    ]);
    expect(pages[0]?.NextToken).not.toContain("jane");
  });

  it("refuses a NextToken reused with a different query", async () => {
    // Prepare
    const first = await search(fixture, { MaxResults: 1 });

    // Act
    const call = settle(
      search(fixture, {
        MaxResults: 1,
        NextToken: first.NextToken,
        SearchCriteria: {
          StringCondition: { FieldName: "Username", Value: "j", ComparisonType: "STARTS_WITH" },
        },
      }),
    );

    // Assess
    await expectConnectError(call, "InvalidParameterException", 400);
  });

  it("answers ResourceNotFoundException for an unknown instance", async () => {
    // Act
    const call = settle(
      fixture.client.send(
        new SearchUsersCommand({ InstanceId: "00000000-0000-4000-8000-000000000000" }),
      ),
    );

    // Assess
    await expectConnectError(call, "ResourceNotFoundException", 404);
  });
});

describe("SearchUsers field names", () => {
  it("are exactly those the model documents for StringCondition", () => {
    // Prepare
    const doc = structureMember("UserSearchCriteria", "StringCondition").doc ?? "";
    const listed = /FieldName are (.+?)\s*\.$/.exec(doc)?.[1] ?? "";

    // Act
    const documented = listed.split(",").map((name) => name.trim().toLowerCase());

    // Assess
    expect(documented).toContain("resourceid");
    expect(Object.keys(STRING_CONDITION_FIELDS).sort()).toEqual(documented.sort());
  });
});
