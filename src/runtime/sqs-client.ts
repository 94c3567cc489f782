import { SQSClient } from "@aws-sdk/client-sqs";
import { endpointFor } from "./endpoints";

/** The SQS client, built once per container; a file of its own, so that the worker loads it lazily. */
export function sqsClient(env: NodeJS.ProcessEnv = process.env): SQSClient {
  return new SQSClient(endpointFor("SQS", env));
}
