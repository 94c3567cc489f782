import type { SQSClient } from "@aws-sdk/client-sqs";
import type { DeadLetters } from "../app/ports/queue";
import { once } from "../domain/once";

/**
 * The worker's DLQ, which only a message that cannot be processed reaches:
 * the SQS client and its SDK modules are a chunk of their own, loaded with
 * the first such message rather than at every cold start (docs/deploy.md,
 * "Cold start").
 */
export function deadLettersWhenNeeded(
  client: () => Promise<SQSClient>,
  queueUrl: string,
): DeadLetters {
  const queue = once(async () => {
    const [{ DeadLetterQueue }, sqs] = await Promise.all([
      import("../queue/dead-letters"),
      client(),
    ]);
    return new DeadLetterQueue(sqs, queueUrl);
  });
  return { send: async (message, why, now) => (await queue()).send(message, why, now) };
}
