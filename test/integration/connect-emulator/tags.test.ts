import {
  CreateQuickConnectCommand,
  DescribeQuickConnectCommand,
  DescribeUserCommand,
  SearchUsersCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-connect";
import { describe, expect, it } from "vitest";
import { connectError, expectConnectError, useEmulator } from "./support";

describe("TagResource and UntagResource", () => {
  const fixture = useEmulator();
  const adminArn = () =>
    fixture.emulator.dumpState().users.find((user) => user.Username === "admin")?.Arn as string;

  it("adds and overwrites a user's tags; DescribeUser and SearchUsers show them", async () => {
    // Prepare
    await fixture.client.send(
      new TagResourceCommand({ resourceArn: adminArn(), tags: { team: "a", site: "london" } }),
    );

    // Act
    await fixture.client.send(
      new TagResourceCommand({ resourceArn: adminArn(), tags: { team: "b", "managed-by": "x" } }),
    );
    const { User } = await fixture.client.send(
      new DescribeUserCommand({ InstanceId: fixture.instanceId, UserId: fixture.userId("admin") }),
    );
    const { Users } = await fixture.client.send(
      new SearchUsersCommand({
        InstanceId: fixture.instanceId,
        SearchFilter: { TagFilter: { TagCondition: { TagKey: "team", TagValue: "b" } } },
      }),
    );

    // Assess
    expect(User?.Tags).toEqual({ team: "b", site: "london", "managed-by": "x" });
    expect(Users?.map((user) => [user.Username, user.Tags])).toEqual([
      ["admin", { team: "b", site: "london", "managed-by": "x" }],
    ]);
  });

  it("removes the keys given and ignores keys the user does not carry", async () => {
    // Prepare
    await fixture.client.send(
      new TagResourceCommand({ resourceArn: adminArn(), tags: { a: "1", b: "2", c: "3" } }),
    );

    // Act
    await fixture.client.send(
      new UntagResourceCommand({ resourceArn: adminArn(), tagKeys: ["a", "c", "never-set"] }),
    );
    const { User } = await fixture.client.send(
      new DescribeUserCommand({ InstanceId: fixture.instanceId, UserId: fixture.userId("admin") }),
    );

    // Assess
    expect(User?.Tags).toEqual({ b: "2" });
  });

  it("tags a quick connect by its ARN", async () => {
    // Prepare
    const created = await fixture.client.send(
      new CreateQuickConnectCommand({
        InstanceId: fixture.instanceId,
        Name: "Head office",
        QuickConnectConfig: {
          QuickConnectType: "PHONE_NUMBER",
          PhoneConfig: { PhoneNumber: "+442071234567" },
        },
      }),
    );

    // Act
    await fixture.client.send(
      new TagResourceCommand({ resourceArn: created.QuickConnectARN, tags: { owner: "ops" } }),
    );
    const { QuickConnect } = await fixture.client.send(
      new DescribeQuickConnectCommand({
        InstanceId: fixture.instanceId,
        QuickConnectId: created.QuickConnectId,
      }),
    );

    // Assess
    expect(QuickConnect?.Tags).toEqual({ owner: "ops" });
  });

  it("answers 404 for an unknown user or another instance, 400 for a resource it does not tag", async () => {
    // Prepare
    const instanceArn = fixture.emulator.instanceArn;
    const tags = { team: "a" };

    // Act
    const unknownUser = fixture.client.send(
      new TagResourceCommand({
        resourceArn: `${instanceArn}/agent/00000000-0000-4000-8000-000000000000`,
        tags,
      }),
    );
    const otherInstance = fixture.client.send(
      new TagResourceCommand({ resourceArn: adminArn().replace("eu-west-2", "us-east-1"), tags }),
    );
    const routingProfile = fixture.client.send(
      new TagResourceCommand({
        resourceArn: `${instanceArn}/routing-profile/${fixture.routingProfileId("UK Support")}`,
        tags,
      }),
    );

    // Assess
    await expectConnectError(unknownUser, "ResourceNotFoundException", 404);
    await expectConnectError(otherInstance, "ResourceNotFoundException", 404);
    await expectConnectError(routingProfile, "InvalidRequestException", 400);
  });

  it("refuses reserved aws: keys and more than 50 tags on one resource, changing nothing", async () => {
    // Prepare
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key${i}`, "v"]));
    await fixture.client.send(new TagResourceCommand({ resourceArn: adminArn(), tags: fifty }));

    // Act
    const reserved = await connectError(
      fixture.client.send(
        new TagResourceCommand({ resourceArn: adminArn(), tags: { "aws:owner": "x" } }),
      ),
    );
    const fiftyFirst = await connectError(
      fixture.client.send(
        new TagResourceCommand({ resourceArn: adminArn(), tags: { one: "more" } }),
      ),
    );

    // Assess
    expect(reserved.name).toBe("InvalidParameterException");
    expect(fiftyFirst.name).toBe("InvalidParameterException");
    const user = fixture.emulator.dumpState().users.find((item) => item.Username === "admin");
    expect(Object.keys(user?.Tags as object)).toHaveLength(50);
  });
});
