import type { AgentIdentity, AgentPhone } from "./agent";

/** A Connect user in ids: what CreateUser carries and what DescribeUser answers. */
export interface ConnectUserSpec {
  username: string;
  identity: AgentIdentity;
  routingProfileId: string;
  /** Sorted, without duplicates. */
  securityProfileIds: string[];
  hierarchyGroupId: string | null;
  phone: AgentPhone;
}

/** A user that exists in Connect. */
export interface ConnectUser extends ConnectUserSpec {
  userId: string;
  tags: Record<string, string>;
  /** As DescribeUser and SearchUsers answer it; what TagResource names. */
  arn?: string;
}
