import {
  type ConnectClient,
  DeleteQuickConnectCommand,
  DescribeQuickConnectCommand,
  ListQuickConnectsCommand,
} from "@aws-sdk/client-connect";
import type { ChangeResult, UserQuickConnect } from "../app/ports/connect";
import type { ConnectCaller } from "./caller";

/** How long the index of which quick connect points at which user is trusted. */
const INDEX_MAX_AGE_MS = 15 * 60_000;

/**
 * The quick connects of type USER: the transfer targets that name an agent.
 * ListQuickConnects does not say which user a quick connect names, so each
 * one is described once and the index kept for the container for 15
 * minutes; a deletion re-reads its candidates before it deletes them. One
 * made since the index was read stays behind: the reconciliation, which
 * reads them all afresh, reports it.
 */
export class UserQuickConnects {
  private index = new Map<string, UserQuickConnect>();
  private indexedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly client: ConnectClient,
    private readonly caller: ConnectCaller,
    private readonly instanceId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every USER quick connect, with the user it names; `fresh`: not from the container's index. */
  async all(options: { fresh?: boolean } = {}): Promise<UserQuickConnect[]> {
    if (!options.fresh && this.now() - this.indexedAt <= INDEX_MAX_AGE_MS)
      return [...this.index.values()];
    const listed = await this.caller.everyPage(
      "ListQuickConnects",
      { InstanceId: this.instanceId, MaxResults: 1000, QuickConnectTypes: ["USER" as const] },
      (input) => this.client.send(new ListQuickConnectsCommand(input)),
      (page) => page.QuickConnectSummaryList,
    );
    if (this.now() - this.indexedAt > INDEX_MAX_AGE_MS) this.index = new Map();
    const known = new Map<string, UserQuickConnect>();
    for (const summary of listed) {
      if (!summary.Id) continue;
      const cached = this.index.get(summary.Id);
      const quickConnect = cached ?? (await this.describe(summary.Id));
      if (quickConnect) known.set(summary.Id, quickConnect);
    }
    this.index = known;
    this.indexedAt = this.now();
    return [...known.values()];
  }

  /** The USER quick connects that name this user, read again to be sure. */
  async ofUser(userId: string): Promise<UserQuickConnect[]> {
    const candidates = (await this.all()).filter((q) => q.userId === userId);
    const confirmed: UserQuickConnect[] = [];
    for (const candidate of candidates) {
      const fresh = await this.describe(candidate.quickConnectId);
      if (fresh?.userId === userId) confirmed.push(fresh);
    }
    return confirmed;
  }

  async delete(quickConnectId: string): Promise<ChangeResult> {
    const input = this.caller.valid("DeleteQuickConnect", {
      InstanceId: this.instanceId,
      QuickConnectId: quickConnectId,
    });
    const result = await this.caller.send(
      "DeleteQuickConnect",
      () => this.client.send(new DeleteQuickConnectCommand(input)),
      ["ResourceNotFoundException"],
    );
    this.index.delete(quickConnectId);
    return result === "ResourceNotFoundException" ? "not-found" : "done";
  }

  private async describe(quickConnectId: string): Promise<UserQuickConnect | undefined> {
    const input = { InstanceId: this.instanceId, QuickConnectId: quickConnectId };
    const result = await this.caller.send(
      "DescribeQuickConnect",
      () => this.client.send(new DescribeQuickConnectCommand(input)),
      ["ResourceNotFoundException"],
    );
    if (result === "ResourceNotFoundException") return undefined;
    const userId = result.QuickConnect?.QuickConnectConfig?.UserConfig?.UserId;
    if (!userId) return undefined;
    return { quickConnectId, name: result.QuickConnect?.Name ?? quickConnectId, userId };
  }
}
