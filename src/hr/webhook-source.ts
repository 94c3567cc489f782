import type { HrEvent } from "../domain/hr";
import type { FieldProblem } from "../domain/validation";
import type { LowerCaseHeaders, SignatureCheck } from "./signatures";

/** The most events one request may carry (the canonical array limit). */
export const MAX_EVENTS_PER_REQUEST = 100;

export type Normalised =
  | { ok: true; events: HrEvent[] }
  | { ok: false; detail: string; problems: FieldProblem[] };

/**
 * One HR system's webhook: how its requests are signed and how its payloads
 * become canonical HR events. Pure: no I/O, no clock of its own.
 */
export interface WebhookSource {
  /** The `{source}` in `POST /hr/events/{source}`. */
  readonly name: string;
  /** The headers that carry the signature, as the sender's documentation names them. */
  readonly signatureHeaders: readonly string[];
  /** Media types the source sends (no parameters, lower case). */
  readonly mediaTypes: readonly string[];
  /** Whether a secret read from the store has the form this source needs. */
  acceptsSecret(secret: string): boolean;
  verify(rawBody: Buffer, headers: LowerCaseHeaders, secret: string, now: Date): SignatureCheck;
  /**
   * The parsed body (already checked for unsafe keys) as canonical events, all
   * or none; an event dated too far ahead of `now` is refused at its field.
   */
  normalise(body: unknown, request: { mediaType: string; rawBody: Buffer; now: Date }): Normalised;
}
