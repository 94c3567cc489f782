import { describeProblems, type FieldProblem } from "../domain/validation";

/**
 * A failure no retry can fix: the message goes to the DLQ at once with this
 * reason. Log the errorName only: a reason may quote the request.
 */
export class PermanentError extends Error {
  /** What the DLQ entry and the metrics call it: the class name, or the cause's own (Connect's). */
  readonly errorName: string;

  constructor(name: string, message: string, options?: { cause?: unknown; errorName?: string }) {
    super(message, options);
    this.name = name;
    this.errorName = options?.errorName ?? name;
  }
}

/** The DLQ's reason for a permanent failure; undefined when a retry may succeed. */
export function permanentFailure(
  error: unknown,
): { errorName: string; reason: string } | undefined {
  return error instanceof PermanentError
    ? { errorName: error.errorName, reason: error.message }
    : undefined;
}

/** The HR record cannot become a Connect user as it stands (e.g. a user name too long). */
export class InvalidRecordError extends PermanentError {
  constructor(readonly problems: FieldProblem[]) {
    super(
      "InvalidRecordError",
      `The HR record cannot become a Connect user: ${describeProblems(problems)}`,
    );
  }
}

/** The user name is held by a Connect user this service does not manage (or a protected one). */
export class UsernameTakenError extends PermanentError {
  constructor(detail: string) {
    super(
      "UsernameTakenError",
      `The user name is already taken in Connect by ${detail}; nothing was changed`,
    );
  }
}

/** Rules name a profile or hierarchy group the instance does not have: a configuration error. */
export class UnknownNameError extends PermanentError {
  constructor(readonly problems: string[]) {
    super(
      "UnknownNameError",
      `The sync rules name what the Connect instance does not have: ${problems.join("; ")}`,
    );
  }
}

/**
 * A vendor's API does not know an employee whose agent the service manages.
 * Not a leaver by itself (a mistyped domain or an outage answers the same):
 * the event fails with this reason, and the reconciliation looks again.
 */
export class NotInHrSourceError extends PermanentError {
  constructor(source: string) {
    super(
      "NotInHrSourceError",
      `${source} does not know the employee; not taken for a leaver until ${source} says so (terminated), or the next reconciliation still does not find them. Nothing was changed`,
    );
  }
}

/**
 * Connect does not show yet what the service just did (its reads are
 * eventually consistent): SQS delivers the event again later.
 */
export class NotYetVisibleError extends Error {
  constructor(what: string) {
    super(`Connect does not show ${what} yet; trying again later`);
    this.name = "NotYetVisibleError";
  }
}

/** A converge that kept finding the user changed under it; SQS delivers the event again. */
export class ConvergenceError extends Error {
  constructor(employeeId: string) {
    super(`${employeeId}: the Connect user kept changing while it was being converged`);
    this.name = "ConvergenceError";
  }
}
