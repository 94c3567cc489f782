"use strict";

/**
 * A local osls plugin: checks of the parameters that CloudFormation cannot
 * make, before anything is built or sent to AWS. It reads
 * `custom.stackChecks` (the resolved parameters) when the configuration is
 * loaded (the `initialize` hook), for `serverless package` and `serverless deploy`.
 *
 *   instanceId          the placeholder: package warns, deploy fails; not an instance id: both fail
 *   alarmEmail          empty: fails where alarmEmailRequired is true (prod), warns elsewhere
 *   operatorRoleArns    each an IAM role ARN; empty: warns (nobody can redrive or approve)
 *   tracing             "true" or "false" (Lambda's tracing, the Tracer and the X-Ray grants follow it)
 *
 * Messages name the parameter and say how to pass it.
 */

const PLACEHOLDER_INSTANCE_ID = "00000000-0000-0000-0000-000000000000";
/** An Amazon Connect instance id is a UUID (the last part of the instance ARN). */
const INSTANCE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An IAM role ARN, `*` and `?` allowed in its path and name (ArnLike). */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\-/*?]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with these parameters for this command: errors stop it, warnings are printed. */
function checkParameters(settings, command) {
  const errors = [];
  const warnings = [];
  const { stage, instanceId, alarmEmail, alarmEmailRequired, operatorRoleArns, tracing } = settings;

  if (instanceId === PLACEHOLDER_INSTANCE_ID) {
    const message = `instanceId is the placeholder ${PLACEHOLDER_INSTANCE_ID}: pass --param instanceId=<your Connect instance id>`;
    if (command === "deploy") errors.push(message);
    else warnings.push(`${message} before deploying (serverless deploy refuses it)`);
  } else if (!INSTANCE_ID.test(String(instanceId))) {
    errors.push(
      `instanceId must be the Connect instance's id (a UUID, the last part of its ARN), not ${JSON.stringify(String(instanceId))}`,
    );
  }

  const email = String(alarmEmail ?? "").trim();
  if (email === "") {
    const message = `alarmEmail is empty: no alarm reaches a person (pass --param alarmEmail=<address>, or subscribe to the AlarmTopicArn output)`;
    if (alarmEmailRequired === true || alarmEmailRequired === "true")
      errors.push(`${message}; stage ${stage} requires it (alarmEmailRequired)`);
    else warnings.push(message);
  } else if (!EMAIL.test(email)) {
    errors.push(`alarmEmail must be an e-mail address, not ${JSON.stringify(email)}`);
  }

  const roles = String(operatorRoleArns ?? "");
  if (roles.trim() === "") {
    warnings.push(
      "operatorRoleArns is empty: only the service's own roles may send to the sync queue, so redrive, approve and the CLI's reconcile cannot queue events (pass --param operatorRoleArns=<role ARN>,...)",
    );
  } else {
    for (const arn of roles.split(",")) {
      if (!ROLE_ARN.test(arn))
        errors.push(
          `operatorRoleArns must be IAM role ARNs separated by commas, without spaces (arn:aws:iam::<account>:role/<name>); ${JSON.stringify(arn)} is not one`,
        );
    }
  }
  if (tracing !== undefined && tracing !== "true" && tracing !== "false")
    errors.push(`tracing must be "true" or "false", not ${JSON.stringify(String(tracing))}`);
  return { errors, warnings };
}

/** `deploy` of the whole service (not `deploy function` or `deploy list`), `package`, or another command. */
function commandOf(commands) {
  const joined = (commands ?? []).join(" ");
  if (joined === "deploy") return "deploy";
  if (joined === "package") return "package";
  return "other";
}

class StackChecks {
  constructor(serverless, _options, { log } = {}) {
    this.serverless = serverless;
    this.log = log;
    this.hooks = { initialize: () => this.check() };
  }

  check() {
    const command = commandOf(this.serverless.processedInput?.commands);
    if (command === "other") return;
    const settings = this.serverless.service.custom?.stackChecks;
    if (!settings) throw new this.serverless.classes.Error("custom.stackChecks is missing");
    const { errors, warnings } = checkParameters(settings, command);
    for (const warning of warnings) {
      if (this.log?.warning) this.log.warning(warning);
      else process.stderr.write(`Warning: ${warning}\n`);
    }
    if (errors.length > 0) throw new this.serverless.classes.Error(errors.join("\n"));
  }
}

module.exports = StackChecks;
module.exports.checkParameters = checkParameters;
module.exports.PLACEHOLDER_INSTANCE_ID = PLACEHOLDER_INSTANCE_ID;
