/**
 * GetFederationToken. There is no IAM here, so the caller is the Connect user
 * whose Username equals the access key id the request was signed with
 * (`credentials: { accessKeyId: "admin", … }` federates as "admin").
 */
import { randomBytes } from "node:crypto";
import { ConnectApiError } from "../errors";
import { epochSeconds } from "../present";
import type { OperationContext, OperationOutput } from "./context";

/** Lifetimes of the tokens handed out (Connect does not document them; these are plausible). */
const ACCESS_TOKEN_LIFETIME_MS = 60 * 60 * 1000;
const REFRESH_TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

export function getFederationToken({
  input,
  state,
  callerAccessKeyId,
}: OperationContext): OperationOutput {
  const instance = state.requireInstance(input.InstanceId);
  const user = callerAccessKeyId ? state.userByUsername(callerAccessKeyId) : undefined;
  if (!user) {
    throw new ConnectApiError(
      "UserNotFoundException",
      "No user with the specified credentials was found in the instance.",
    );
  }
  const now = state.clock();
  const token = () => randomBytes(48).toString("base64url");
  return {
    Credentials: {
      AccessToken: token(),
      AccessTokenExpiration: epochSeconds(now + ACCESS_TOKEN_LIFETIME_MS),
      RefreshToken: token(),
      RefreshTokenExpiration: epochSeconds(now + REFRESH_TOKEN_LIFETIME_MS),
    },
    SignInUrl: `https://${instance.alias}.my.connect.aws/auth/sign-in?federated=true`,
    UserArn: user.arn,
    UserId: user.id,
  };
}

/** The access key id in `AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, …`. */
export function accessKeyIdOf(authorization: string | undefined): string | undefined {
  const match = /Credential=([^/,\s]+)\//.exec(authorization ?? "");
  return match?.[1];
}
