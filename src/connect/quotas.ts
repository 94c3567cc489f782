/**
 * Amazon Connect's default API rate quotas for the operations this project
 * calls or emulates: one token bucket per operation, per account and Region,
 * shared by every caller ("The throttling limits are defined for each API
 * separately at the AWS account level, not for the individual Amazon Connect
 * instance": API Reference, "Best practices for using Amazon Connect APIs").
 * Plain data, so that the emulator and the service read the same table.
 *
 * Where the numbers come from (docs/connect-emulator.md, "Request quotas"):
 * - rps and quotaCode: Service Quotas' default of "Rate of <Operation> API
 *   requests" for service code `connect`, as listed by ListAWSDefaultServiceQuotas
 *   (copy read: gruntwork-io/terraform-aws-utilities docs/quotas.md, commit
 *   04f58839c5610804899dfcd815df374aea681ffd). Its rows for the ten user
 *   operations match issue #16's table.
 * - burst: Service Quotas lists rates only. The Amazon Connect Administrator
 *   Guide, "Amazon Connect service quotas" / "Amazon Connect API throttling
 *   quotas" (docs.aws.amazon.com/connect/latest/adminguide/amazon-connect-service-limits.html,
 *   archived as awsdocs/amazon-connect-admin-guide doc_source/amazon-connect-service-limits.md,
 *   commit 662ba59), gives "a BurstLimit of 5 requests per second" for all
 *   operations but the metric and contact ones. No burst is documented for
 *   the operations Service Quotas now allows 10/s; 5 is used for them too, the
 *   cautious choice (a client paced to it never exceeds a larger real burst).
 */
import type { ConnectOperationName } from "./model/index";

export interface ConnectApiQuota {
  /** Steady rate: requests per second, for the whole account and Region. */
  readonly rps: number;
  /** Bucket size: requests that may arrive at once after a quiet spell. */
  readonly burst: number;
  /** Service Quotas code of the rate ("Rate of <Operation> API requests"). */
  readonly quotaCode: string;
}

const DOCUMENTED_BURST = 5;

const quota = (rps: number, quotaCode: string): ConnectApiQuota => ({
  rps,
  burst: DOCUMENTED_BURST,
  quotaCode,
});

export const CONNECT_API_QUOTAS: Readonly<Record<ConnectOperationName, ConnectApiQuota>> = {
  CreateUser: quota(2, "L-CBDEE3E4"),
  DescribeUser: quota(10, "L-EE6F0D82"),
  DeleteUser: quota(2, "L-30488271"),
  ListUsers: quota(10, "L-CCC38177"),
  UpdateUserRoutingProfile: quota(2, "L-418ABD80"),
  UpdateUserHierarchy: quota(2, "L-AEAF5C4B"),
  UpdateUserIdentityInfo: quota(2, "L-66B5F86E"),
  UpdateUserPhoneConfig: quota(2, "L-5D8210C3"),
  UpdateUserSecurityProfiles: quota(2, "L-64B27051"),
  ListRoutingProfiles: quota(10, "L-30929A21"),
  ListSecurityProfiles: quota(2, "L-A408782D"),
  ListUserHierarchyGroups: quota(10, "L-E6DB6D6D"),
  DescribeUserHierarchyGroup: quota(10, "L-50D07AB9"),
  DescribeUserHierarchyStructure: quota(10, "L-5F32FD78"),
  GetFederationToken: quota(2, "L-9AA558F3"),
  SearchUsers: quota(2, "L-E2C35CCE"),
  CreateQuickConnect: quota(2, "L-272F1E62"),
  ListQuickConnects: quota(10, "L-44B5DA37"),
  DescribeQuickConnect: quota(10, "L-2DE43297"),
  DeleteQuickConnect: quota(2, "L-EC633E57"),
  TagResource: quota(2, "L-EA358306"),
  UntagResource: quota(2, "L-26D9F60B"),
};
