import { DeleteMessageBatchCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { paginateScan } from "@aws-sdk/lib-dynamodb";
import type { AuditEntry } from "../../app/ports/audit";
import type { DeadLetterMessage } from "./convergence";
import type { ChaosStack } from "./stack";

/** What a chaos run left behind, read back for the convergence check. */

/** The whole audit table (the chaos stack, or any world with its documents client and env). */
export async function auditTrail(
  stack: Pick<ChaosStack, "documents" | "env">,
): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for await (const page of paginateScan(
    { client: stack.documents },
    { TableName: stack.env.AUDIT_TABLE, ConsistentRead: true },
  )) {
    entries.push(...((page.Items ?? []) as AuditEntry[]));
  }
  return entries;
}

export async function deadLetters(stack: ChaosStack): Promise<DeadLetterMessage[]> {
  const letters: DeadLetterMessage[] = [];
  for (;;) {
    const { Messages = [] } = await stack.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.env.DLQ_URL,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["ApproximateReceiveCount"],
      }),
    );
    if (Messages.length === 0) return letters;
    for (const m of Messages) {
      letters.push({
        receiveCount: m.Attributes?.ApproximateReceiveCount,
        body: m.Body ?? "",
        attributes: Object.fromEntries(
          Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? ""]),
        ),
      });
    }
    // A FIFO queue hands out one message per group until it is deleted: take them all.
    await stack.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: stack.env.DLQ_URL,
        Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}
