import { type IdentityMode, usernameProblem } from "./connect-limits";
import type { HrRecord } from "./hr";

/** Letters that Unicode decomposition does not reduce to ASCII. */
const LETTER_FOLDS: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ð: "d",
  ł: "l",
  þ: "th",
  ı: "i",
  ħ: "h",
  ŋ: "n",
};

/** Lower-case ASCII: "Zoë Łukasiewicz-Ørsted" -> "zoe lukasiewicz-orsted". */
export function asciiFold(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^ -~]/g, (ch) => LETTER_FOLDS[ch] ?? "");
}

/** Folds one value into the characters Connect allows in a user name. */
function usernamePart(value: string): string {
  return asciiFold(value)
    .trim()
    .replace(/\s+/g, "-")
    .replace(/[^a-z0-9_.@-]/g, "");
}

export type UsernameResult = { ok: true; username: string } | { ok: false; problem: string };

/**
 * The Connect user name for a person: the record's own `username` when HR
 * sets one, otherwise the template (`{email}`, `{firstName}.{lastName}`, ...),
 * lower-cased and ASCII-folded. Checked against Connect's limits for the
 * identity mode; the problem never quotes the name itself (it is personal data).
 */
export function usernameFor(
  record: HrRecord,
  template: string,
  mode: IdentityMode,
): UsernameResult {
  const fromRecord = record.username ?? undefined;
  const username =
    fromRecord ??
    template.replace(/\{(\w+)\}/g, (_, name: string) => {
      switch (name) {
        case "email":
          return usernamePart(record.email);
        case "emailLocalPart":
          return usernamePart(record.email.split("@")[0] ?? "");
        case "firstName":
          return usernamePart(record.firstName);
        case "lastName":
          return usernamePart(record.lastName);
        case "employeeId":
          return usernamePart(record.employeeId);
        default:
          return "";
      }
    });
  const problem = usernameProblem(username, mode);
  if (problem === undefined) return { ok: true, username };
  const origin =
    fromRecord === undefined ? `made from the template "${template}"` : "given in the HR record";
  return { ok: false, problem: `the user name ${origin} ${problem}` };
}

/** Connect matches user names without case (one user per name whatever its case). */
export function sameUsername(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
