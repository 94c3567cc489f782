import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A pass-through proxy between one worker container and Connect that can
 * freeze the container as a crash or a Lambda timeout would: from the moment
 * it is frozen, the container's next Connect request is held forever, never
 * sent and never answered, so the container stops exactly at a call boundary
 * (the held call has not reached Connect). What it already did stays done.
 */
export interface Freezer {
  url: string;
  /** Lets `allowed` more requests through, then holds the next one. Resolves once one is held. */
  freezeAfter(allowed: number): Promise<void>;
  /** Holds every request from now on. */
  freeze(): void;
  /** Takes back a freezeAfter that has not triggered yet. */
  cancel(): void;
  readonly frozen: boolean;
  close(): Promise<void>;
}

export async function startFreezer(target: string): Promise<Freezer> {
  const upstream = new URL(target);
  let remaining: number | undefined;
  let frozen = false;
  let onHold: (() => void)[] = [];
  const held: IncomingMessage[] = [];

  const hold = (req: IncomingMessage) => {
    frozen = true;
    held.push(req);
    // Held for good: nothing here may keep the process alive.
    req.socket.unref();
    for (const resolve of onHold.splice(0)) resolve();
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const outgoing = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    // A connection the emulator drops is dropped here too, as the SDK would see it.
    outgoing.on("error", () => res.destroy());
    req.pipe(outgoing);
  };

  const server = createServer((req, res) => {
    if (frozen || remaining === 0) return hold(req);
    if (remaining !== undefined) remaining -= 1;
    forward(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get frozen() {
      return frozen;
    },
    freezeAfter(allowed) {
      remaining = allowed;
      return new Promise((resolve) => {
        if (frozen) resolve();
        else onHold.push(resolve);
      });
    },
    freeze() {
      frozen = true;
      for (const resolve of onHold.splice(0)) resolve();
    },
    cancel() {
      remaining = undefined;
      onHold = [];
    },
    async close() {
      // Held requests stay unanswered: a frozen container must never resume.
      server.unref();
      server.close();
      if (frozen) server.closeIdleConnections();
      else server.closeAllConnections();
    },
  };
}
