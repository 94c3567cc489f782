import type { CallRecord, ConnectEmulator } from "../connect-emulator/index";

/**
 * Every call the emulator saw, in order. The emulator keeps only its last
 * 10,000 calls, so long runs collect them as they come; a call still being
 * answered is taken once its outcome is known.
 */
export class CallLog {
  private readonly log: CallRecord[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly emulator: ConnectEmulator) {
    this.timer = setInterval(() => this.collect(), 250);
  }

  /** Forgets what was collected and what the emulator counted so far. */
  reset(): void {
    this.emulator.resetStats();
    this.log.length = 0;
  }

  calls(): CallRecord[] {
    this.collect();
    return this.log;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private collect(): void {
    const last = this.log.at(-1)?.seq ?? 0;
    for (const call of this.emulator.calls()) {
      if (call.seq <= last) continue;
      const unfinished = call.status === 0 && call.errorName === undefined;
      if (unfinished && Date.now() - Date.parse(call.startedAt) < 60_000) break;
      this.log.push(call);
    }
  }
}
