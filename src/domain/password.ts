import { randomInt } from "node:crypto";

const LOWER = "abcdefghijkmnopqrstuvwxyz";
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS = "23456789";
const SYMBOLS = "!#$%&*+-=?@^_~";
const ALL = LOWER + UPPER + DIGITS + SYMBOLS;

/**
 * A one-time password for a CONNECT_MANAGED user that meets Connect's pattern
 * (8-64 characters with a lower-case letter, an upper-case letter and a digit).
 * It is sent once in CreateUser and never logged or stored: the agent resets it.
 * `pick(n)` returns a uniform integer in [0, n); tests may pass a seeded one.
 */
export function generatePassword(length = 24, pick: (n: number) => number = randomInt): string {
  const from = (alphabet: string) => alphabet[pick(alphabet.length)] as string;
  const chars = [from(LOWER), from(UPPER), from(DIGITS), from(SYMBOLS)];
  while (chars.length < length) chars.push(from(ALL));
  // Fisher-Yates, so the guaranteed classes are not always at the front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join("");
}
