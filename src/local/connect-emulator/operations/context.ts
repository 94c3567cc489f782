/** What an operation handler receives, and what it returns (the output members, or nothing). */
import type { PageTokenCodec } from "../pagination";
import type { EmulatorState } from "../state";
import type { OperationInput } from "../wire-types";

export interface OperationContext {
  /** Members by model name, from the URI, the query string and the body, already model-validated. */
  readonly input: OperationInput;
  readonly state: EmulatorState;
  readonly pageTokens: PageTokenCodec;
  /** Access key id of the request's SigV4 Authorization header, when it has one. */
  readonly callerAccessKeyId: string | undefined;
}

export type OperationOutput = Record<string, unknown> | undefined;
export type OperationHandler = (context: OperationContext) => OperationOutput;

export function stringMember(input: OperationInput, name: string): string | undefined {
  const value = input[name];
  return typeof value === "string" ? value : undefined;
}

export function numberMember(input: OperationInput, name: string): number | undefined {
  const value = input[name];
  return typeof value === "number" ? value : undefined;
}
