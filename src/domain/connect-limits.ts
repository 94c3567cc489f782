/**
 * Limits Amazon Connect puts on user names and passwords that the model's
 * constraints do not express (they live in its documentation text):
 * CreateUserRequest.Username says "For instances not using SAML for identity
 * management, the user name can include up to 20 characters. If you are using
 * SAML for identity management, the user name can include up to 64 characters
 * from [a-zA-Z0-9_-.\@]+. Username can include @ only if used in an email format."
 */

export const IDENTITY_MODES = ["SAML", "CONNECT_MANAGED", "EXISTING_DIRECTORY"] as const;
export type IdentityMode = (typeof IDENTITY_MODES)[number];

const USERNAME_CHARS = /^[a-zA-Z0-9_\-.@]+$/;
const EMAIL_FORMAT = /^[a-zA-Z0-9_\-.]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*\.[a-zA-Z]{2,}$/;

export function maxUsernameLength(mode: IdentityMode): number {
  return mode === "SAML" ? 64 : 20;
}

/** Why Connect would refuse this user name for this identity mode, or undefined when it is fine. */
export function usernameProblem(username: string, mode: IdentityMode): string | undefined {
  if (username.length === 0) return "is empty";
  const max = maxUsernameLength(mode);
  if (username.length > max) {
    return `is ${username.length} characters long; ${mode} instances allow at most ${max}`;
  }
  if (!USERNAME_CHARS.test(username)) {
    return "may contain only letters, digits and _ - . @";
  }
  if (username.includes("@") && !EMAIL_FORMAT.test(username)) {
    return "may contain @ only in an e-mail format such as name@example.com";
  }
  return undefined;
}
