/**
 * The one error class the emulator's operations throw. Its name is the AWS
 * exception the SDK will raise (sent as `x-amzn-ErrorType`) and its HTTP
 * status comes from the model's errors table, so a status is never guessed.
 */
import { type ConnectErrorName, connectError, isConnectErrorName } from "../../connect/model/index";

/** Protocol-level errors AWS sends that the model's user operations do not list. */
const PROTOCOL_ERROR_STATUS = {
  UnknownOperationException: 404,
  SerializationException: 400,
  RequestEntityTooLargeException: 413,
  // SearchUsers' doc: TagFilter together with UserAttributeFilter "will throw AccessDeniedException".
  AccessDeniedException: 403,
} as const;

export type ProtocolErrorName = keyof typeof PROTOCOL_ERROR_STATUS;
export type EmulatedErrorName = ConnectErrorName | ProtocolErrorName;

export class ConnectApiError extends Error {
  readonly errorName: EmulatedErrorName;
  readonly status: number;

  constructor(errorName: EmulatedErrorName, message: string) {
    super(message);
    this.name = "ConnectApiError";
    this.errorName = errorName;
    this.status = isConnectErrorName(errorName)
      ? connectError(errorName).httpStatusCode
      : PROTOCOL_ERROR_STATUS[errorName];
  }
}

export const invalidParameter = (message: string) =>
  new ConnectApiError("InvalidParameterException", message);
export const invalidRequest = (message: string) =>
  new ConnectApiError("InvalidRequestException", message);
export const resourceNotFound = (message: string) =>
  new ConnectApiError("ResourceNotFoundException", message);
