import { ConnectPermanentError } from "../connect/errors";
import { UnknownNameError } from "../connect/resolver";
import { describeProblems, type FieldProblem } from "../domain/validation";
import { HrDirectoryNotConfiguredError, HrRecordUnusableError } from "../hr/directory";

/** The HR record cannot become a Connect user as it stands (e.g. a user name too long). */
export class InvalidRecordError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(`The HR record cannot become a Connect user: ${describeProblems(problems)}`);
    this.name = "InvalidRecordError";
  }
}

/** The user name is held by a Connect user this service does not manage (or a protected one). */
export class UsernameTakenError extends Error {
  constructor(detail: string) {
    super(`The user name is already taken in Connect by ${detail}; nothing was changed`);
    this.name = "UsernameTakenError";
  }
}

/**
 * Failures that no retry can fix: the message goes to the DLQ at once with
 * this reason. Log the errorName only: a reason may quote the request.
 */
export function permanentFailure(
  error: unknown,
): { errorName: string; reason: string } | undefined {
  if (
    error instanceof InvalidRecordError ||
    error instanceof UsernameTakenError ||
    error instanceof UnknownNameError ||
    error instanceof HrRecordUnusableError ||
    error instanceof HrDirectoryNotConfiguredError
  ) {
    return { errorName: error.name, reason: error.message };
  }
  if (error instanceof ConnectPermanentError) {
    // Connect's message may quote the request (a user name): it goes to the DLQ beside the
    // message body, which holds the record anyway, but never to a log.
    return { errorName: error.errorName, reason: error.message };
  }
  return undefined;
}
