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
 * minutes. A deletion lists them again when the last list is older than it
 * is told (the rules' `protected.maxAgeSeconds`: a page of up to 1000 is one
 * request) and describes only those the index does not know yet, so a quick
 * connect made since then goes with its user; its candidates are read again
 * before they are deleted.
 */
export class UserQuickConnects {
  private index = new Map<string, UserQuickConnect>();
  private indexedAt = Number.NEGATIVE_INFINITY;
  private listedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly client: ConnectClient,
    private readonly caller: ConnectCaller,
    private readonly instanceId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every USER quick connect, with the user it names; `fresh`: not from the container's index. */
  async all(options: { fresh?: boolean } = {}): Promise<UserQuickConnect[]> {
    if (!options.fresh && this.indexValid()) return [...this.index.values()];
    return [...(await this.list()).known.values()];
  }

  /**
   * The USER quick connects that name this user, those read before read again. The list is
   * read again when older than `listedWithinMs`, so one made since then goes with its user.
   */
  async ofUser(userId: string, listedWithinMs: number): Promise<UserQuickConnect[]> {
    const { known, describedNow } =
      this.indexValid() && this.now() - this.listedAt <= listedWithinMs
        ? { known: this.index, describedNow: new Set<string>() }
        : await this.list();
    const confirmed: UserQuickConnect[] = [];
    for (const candidate of known.values()) {
      if (candidate.userId !== userId) continue;
      const fresh = describedNow.has(candidate.quickConnectId)
        ? candidate
        : await this.describe(candidate.quickConnectId);
      if (fresh?.userId === userId) confirmed.push(fresh);
    }
    return confirmed;
  }

  private indexValid(): boolean {
    return this.now() - this.indexedAt <= INDEX_MAX_AGE_MS;
  }

  /**
   * Lists the USER quick connects now and describes those the index does not
   * know (every one once it is too old). The index's age is that of its
   * oldest reads: describing the new ones does not make it younger.
   */
  private async list() {
    const listed = await this.caller.everyPage(
      "ListQuickConnects",
      { InstanceId: this.instanceId, MaxResults: 1000, QuickConnectTypes: ["USER" as const] },
      (input) => this.client.send(new ListQuickConnectsCommand(input)),
      (page) => page.QuickConnectSummaryList,
    );
    const rebuild = !this.indexValid();
    const kept = rebuild ? new Map<string, UserQuickConnect>() : this.index;
    const known = new Map<string, UserQuickConnect>();
    const describedNow = new Set<string>();
    for (const summary of listed) {
      if (!summary.Id) continue;
      let quickConnect = kept.get(summary.Id);
      if (!quickConnect) {
        quickConnect = await this.describe(summary.Id);
        describedNow.add(summary.Id);
      }
      if (quickConnect) known.set(summary.Id, quickConnect);
    }
    this.index = known;
    this.listedAt = this.now();
    if (rebuild) this.indexedAt = this.listedAt;
    return { known, describedNow };
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
