/**
 * Where an AWS SDK client sends. Region and credentials come
 * from the standard chain; `AWS_ENDPOINT_URL_<SERVICE>` points a client at a
 * local stand-in. The endpoint is passed explicitly because the SQS client
 * otherwise sends to the host in the queue URL, which a local SQS cannot serve.
 */
export function endpointFor(
  service: "CONNECT" | "DYNAMODB" | "SQS" | "SECRETS_MANAGER" | "SSM" | "S3",
  env: NodeJS.ProcessEnv,
): { endpoint?: string } {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
  return endpoint ? { endpoint } : {};
}
