import { describe, expect, it } from "vitest";
import { usernameProblem } from "../../../src/domain/connect-limits";
import { generatePassword } from "../../../src/domain/password";
import { asciiFold, usernameFor } from "../../../src/domain/username";
import { hrRecord } from "../../support/hr-fixtures";

describe("user names", () => {
  it("folds accents and special letters to lower-case ASCII", () => {
    expect(asciiFold("Zoë Łukasiewicz-Ørsted Straße")).toBe("zoe lukasiewicz-orsted strasse");
  });

  it("builds {firstName}.{lastName} without spaces, apostrophes or accents", () => {
    const record = hrRecord({ firstName: "Mary Ann", lastName: "O'Brien-Núñez" });

    const result = usernameFor(record, "{firstName}.{lastName}", "SAML");

    expect(result).toEqual({ ok: true, username: "mary-ann.obrien-nunez" });
  });

  it("uses the user name HR gives instead of the template", () => {
    const result = usernameFor(hrRecord({ username: "ghopper" }), "{email}", "SAML");

    expect(result).toEqual({ ok: true, username: "ghopper" });
  });

  it("allows 64 characters on SAML and 20 elsewhere, one more is refused", () => {
    const local = "a".repeat(52);
    const at64 = `${local}@example.com`;

    expect(usernameProblem(at64, "SAML")).toBeUndefined();
    expect(usernameProblem(`a${at64}`, "SAML")).toMatch(
      /65 characters long; SAML instances allow at most 64/,
    );
    expect(usernameProblem("a".repeat(20), "CONNECT_MANAGED")).toBeUndefined();
    expect(usernameProblem("a".repeat(21), "CONNECT_MANAGED")).toMatch(/at most 20/);
  });

  it("allows @ only in an e-mail format", () => {
    expect(usernameProblem("testuser@example.com", "SAML")).toBeUndefined();
    expect(usernameProblem("testuser@example", "SAML")).toMatch(/e-mail format/);
  });

  it("explains a template result that is too long without quoting the person's name", () => {
    const record = hrRecord({ email: "maximilian.featherstonehaugh@example.com" });

    const result = usernameFor(record, "{email}", "CONNECT_MANAGED");

    expect(result).toEqual({
      ok: false,
      problem:
        'the user name made from the template "{email}" is 40 characters long; CONNECT_MANAGED instances allow at most 20',
    });
  });
});

describe("passwords", () => {
  it("always meets Connect's password pattern", () => {
    const pattern = /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$/;

    const passwords = Array.from({ length: 200 }, () => generatePassword());

    expect(passwords.filter((p) => !pattern.test(p))).toEqual([]);
    expect(new Set(passwords).size).toBe(200);
  });

  it("meets the pattern even when the random source is as unlucky as it can be", () => {
    const password = generatePassword(8, () => 0);

    expect(password).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$/);
  });
});
