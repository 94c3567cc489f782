import { SQSClient } from "@aws-sdk/client-sqs";
import { endpointFor } from "./endpoints";

/** An SQS client (each function builds one per container); a file of its own, so that the worker loads it lazily. */
export function sqsClient(env: NodeJS.ProcessEnv = process.env): SQSClient {
  return new SQSClient(endpointFor("SQS", env));
}
