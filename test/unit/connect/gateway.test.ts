import {
  ConnectClient,
  ConnectServiceException,
  CreateUserCommand,
  DeleteUserCommand,
  ListUsersCommand,
  SearchUsersCommand,
  UpdateUserRoutingProfileCommand,
} from "@aws-sdk/client-connect";
import { mockClient } from "aws-sdk-client-mock";
import { allCustomMatcher } from "aws-sdk-client-mock-vitest";
import "aws-sdk-client-mock-vitest/extend";
import { beforeEach, describe, expect, it } from "vitest";
import { ConnectPermanentError, ConnectTransientError } from "../../../src/connect/errors";
import { ConnectGateway } from "../../../src/connect/gateway";
import type { UpdateCall } from "../../../src/domain/facets";
import { connectUserSpec } from "../../support/connect-fixtures";

expect.extend(allCustomMatcher);

const connect = mockClient(ConnectClient);

function awsError(name: string, status: number): ConnectServiceException {
  return new ConnectServiceException({
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
    message: `${name} from Connect`,
  });
}

const user = connectUserSpec();

let paced = 0;
let slept: number[] = [];

function gateway(maxAttempts = 4): ConnectGateway {
  const budget = {
    take: async () => {
      paced += 1;
    },
  };
  return new ConnectGateway(new ConnectClient({ region: "us-east-1" }), {
    instanceId: "instance-1",
    budget,
    retry: { maxAttempts, baseDelayMs: 100, maxDelayMs: 1000 },
    random: () => 1,
    sleep: async (ms) => {
      slept.push(ms);
    },
  });
}

/** The one Update call that moves a user to another routing profile. */
function moveTo(userId: string, routingProfileId: string): UpdateCall {
  return {
    op: "UpdateUserRoutingProfile",
    facet: "routingProfile",
    userId,
    value: routingProfileId,
  };
}

beforeEach(() => {
  connect.reset();
  paced = 0;
  slept = [];
});

describe("Connect gateway", () => {
  it("retries throttling with growing backoff, pacing every attempt", async () => {
    connect
      .on(UpdateUserRoutingProfileCommand)
      .rejectsOnce(awsError("ThrottlingException", 429))
      .rejectsOnce(awsError("ThrottlingException", 429))
      .resolvesOnce({});

    const result = await gateway().update(moveTo("u-1", "rp-2"));

    expect(result).toBe("done");
    expect(connect).toHaveReceivedCommandTimes(UpdateUserRoutingProfileCommand, 3);
    expect(paced).toBe(3);
    expect(slept).toEqual([100, 200]);
  });

  it("never retries LimitExceededException, though it is HTTP 429 too", async () => {
    connect.on(CreateUserCommand).rejects(awsError("LimitExceededException", 429));

    const attempt = gateway().createUser(user, { tags: {} });

    await expect(attempt).rejects.toBeInstanceOf(ConnectPermanentError);
    await expect(attempt).rejects.toMatchObject({ errorName: "LimitExceededException" });
    expect(connect).toHaveReceivedCommandTimes(CreateUserCommand, 1);
  });

  it("gives up on a lasting internal error after the configured attempts, as a transient failure", async () => {
    connect.on(UpdateUserRoutingProfileCommand).rejects(awsError("InternalServiceException", 500));

    const attempt = gateway(3).update(moveTo("u-1", "rp-2"));

    await expect(attempt).rejects.toBeInstanceOf(ConnectTransientError);
    expect(connect).toHaveReceivedCommandTimes(UpdateUserRoutingProfileCommand, 3);
  });

  it("answers a taken user name and a missing user as values, not errors", async () => {
    connect.on(CreateUserCommand).rejects(awsError("DuplicateResourceException", 409));
    connect.on(UpdateUserRoutingProfileCommand).rejects(awsError("ResourceNotFoundException", 404));

    expect(await gateway().createUser(user, { tags: {} })).toEqual({ kind: "duplicate" });
    expect(await gateway().update(moveTo("u-gone", "rp-2"))).toBe("not-found");
  });

  it.each([
    ["gone at the first attempt", null, "not-found"],
    [
      "gone on a retry after a throttle, which Connect refuses unread",
      awsError("ThrottlingException", 429),
      "not-found",
    ],
    [
      "gone on a retry after a 500, which may have deleted it",
      awsError("InternalServiceException", 500),
      "lost-answer",
    ],
  ])("tells a user %s", async (_, failure, expected) => {
    const deletion = connect.on(DeleteUserCommand);
    if (failure) deletion.rejectsOnce(failure);
    deletion.rejects(awsError("ResourceNotFoundException", 404));

    const result = await gateway().deleteUser("u-1");

    expect(result).toBe(expected);
  });

  it("refuses a request the Connect model forbids without sending it", async () => {
    const tooMany = {
      ...user,
      securityProfileIds: Array.from({ length: 11 }, (_, i) => `sp-${i}`),
    };

    const attempt = gateway().createUser(tooMany, { tags: {} });

    await expect(attempt).rejects.toMatchObject({
      errorName: "InvalidConnectInput",
      message: expect.stringContaining("SecurityProfileIds"),
    });
    expect(connect).toHaveReceivedCommandTimes(CreateUserCommand, 0);
  });

  it("reads every page of users, 1000 at a time", async () => {
    connect
      .on(ListUsersCommand)
      .resolvesOnce({ UserSummaryList: [{ Id: "u-1", Username: "a" }], NextToken: "page-2" })
      .resolvesOnce({ UserSummaryList: [{ Id: "u-2", Username: "b" }] });

    const users = await gateway().listUserIds();

    expect(users).toEqual(["u-1", "u-2"]);
    expect(connect).toHaveReceivedNthCommandWith(ListUsersCommand, 2, {
      MaxResults: 1000,
      NextToken: "page-2",
    });
  });

  it("converts SearchUsers' after-contact work from milliseconds to seconds", async () => {
    connect.on(SearchUsersCommand).resolves({
      Users: [
        {
          Id: "u-1",
          Username: "grace.hopper@example.com",
          RoutingProfileId: "rp-1",
          SecurityProfileIds: ["sp-1"],
          PhoneConfig: {
            PhoneType: "SOFT_PHONE",
            AutoAccept: false,
            AfterContactWorkTimeLimit: 30_000,
          },
          Tags: { team: "a" },
        },
      ],
    });

    const found = await gateway().findUserByUsername("grace.hopper@example.com");

    expect(found?.phone.afterContactWorkSeconds).toBe(30);
    expect(found?.tags).toEqual({ team: "a" });
  });
});
