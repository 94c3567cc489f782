import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import { newStandardWebhookSecret, signStandardWebhook } from "../../src/hr/signatures";
import {
  type AwsStandIns,
  LOCAL_CREDENTIALS,
  startAwsStandIns,
} from "../../src/local/aws-stand-ins";
import { apiGatewayEventV2 } from "../../src/local/http-api";
import { lambdaContext } from "../../src/local/lambda-shapes";

export const BAMBOOHR_KEY = "bamboo-private-key-for-tests";
export const HIBOB_SECRET = "hibob-webhook-secret-for-tests";

export type WebhookHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** The body parsed as JSON. */
  json: Record<string, unknown> & {
    accepted?: string[];
    errors?: { path: string; message: string }[];
  };
}

export interface QueuedMessage {
  body: string;
  groupId?: string;
  deduplicationId?: string;
}

export interface PostOptions {
  /** `{source}`; undefined posts to `/hr/events`. */
  source?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body base64-encoded, as API Gateway does for what it takes for binary. */
  base64?: boolean;
}

export interface WebhookStack {
  aws: AwsStandIns;
  /** The canonical source's Standard Webhooks secret. */
  secret: string;
  handler: WebhookHandler;
  /** Calls the real handler with an API Gateway HTTP API (payload 2.0) event. */
  post(options: PostOptions): Promise<Answer>;
  /** Signs events (or any text) the canonical way and posts them to /hr/events. */
  postCanonical(
    body: unknown,
    options?: { contentType?: string; at?: Date; secret?: string },
  ): Promise<Answer>;
  /** Takes every message off the queue: what the handler queued. */
  takeQueued(): Promise<QueuedMessage[]>;
  /** Messages on the queue, visible or not. */
  queueDepth(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The real hr-webhook handler against fauxqs (the queues of serverless.yml),
 * with the canonical secret, the BambooHR key and the HiBob secret in local mode, or, when
 * `env` gives a source's `*_SECRET_REF`, read from that store. The handler
 * reads its environment when imported: one stack per test file.
 */
export async function startWebhookStack(
  options: { env?: Record<string, string>; aws?: AwsStandIns } = {},
): Promise<WebhookStack> {
  const aws = options.aws ?? (await startAwsStandIns());
  const secret = newStandardWebhookSecret();
  const queueUrl = aws.queues.SyncQueue?.url ?? "";
  const refs = options.env ?? {};
  Object.assign(process.env, aws.env, {
    QUEUE_URL: queueUrl,
    LOCAL_MODE: "true",
    ...(refs.CANONICAL_WEBHOOK_SECRET_REF ? {} : { CANONICAL_WEBHOOK_SECRET: secret }),
    ...(refs.BAMBOOHR_WEBHOOK_SECRET_REF ? {} : { BAMBOOHR_WEBHOOK_SECRET: BAMBOOHR_KEY }),
    ...(refs.HIBOB_WEBHOOK_SECRET_REF ? {} : { HIBOB_WEBHOOK_SECRET: HIBOB_SECRET }),
    ...options.env,
  });
  const { handler } = (await import("../../handlers/hr-webhook")) as unknown as {
    handler: WebhookHandler;
  };
  const sqs = new SQSClient({
    endpoint: aws.sqsEndpoint,
    region: aws.region,
    credentials: LOCAL_CREDENTIALS,
  });

  const post = async ({ source, headers = {}, body = "", base64 = false }: PostOptions) => {
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    const event = apiGatewayEventV2({
      method: "POST",
      rawPath: source === undefined ? "/hr/events" : `/hr/events/${source}`,
      routeKey: source === undefined ? "POST /hr/events" : "POST /hr/events/{source}",
      pathParameters: source === undefined ? undefined : { source },
      headers,
      body: bytes,
    });
    if (base64 && bytes.length > 0) {
      event.body = bytes.toString("base64");
      event.isBase64Encoded = true;
    }
    const result = await handler(event, lambdaContext("hr-webhook", 10_000));
    return {
      status: result.statusCode ?? 200,
      headers: Object.fromEntries(
        Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
      ),
      json: JSON.parse(result.body ?? "null"),
    };
  };

  return {
    aws,
    secret,
    handler,
    post,
    postCanonical(body, opts = {}) {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      return post({
        body: text,
        headers: {
          "content-type": opts.contentType ?? "application/json",
          ...signStandardWebhook(text, opts.secret ?? secret, { at: opts.at }),
        },
      });
    },
    async takeQueued() {
      const taken: QueuedMessage[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            AttributeNames: ["All"],
            MessageSystemAttributeNames: ["All"],
          }),
        );
        if (Messages.length === 0) return taken;
        for (const m of Messages) {
          taken.push({
            body: m.Body ?? "",
            groupId: m.Attributes?.MessageGroupId,
            deduplicationId: m.Attributes?.MessageDeduplicationId,
          });
        }
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
    },
    async queueDepth() {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      );
      return (
        Number(Attributes.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
      );
    },
    async close() {
      sqs.destroy();
      if (!options.aws) await aws.close();
    },
  };
}
