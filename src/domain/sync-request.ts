import { sourceSchema } from "./employee-key";
import { FACETS } from "./facets";
import { hrEventShape, recordMatchesEmployee } from "./hr";
import * as z from "./zod";

export const SYNC_ORIGINS = ["webhook", "reconcile", "import", "cli"] as const;

/**
 * What the worker reads from the queue: an HR event, the HR source whose
 * route received it, plus what only the service itself sets (HR senders
 * cannot: ingress parses hrEventSchema, which drops these keys).
 */
export const syncRequestSchema = z
  .extend(hrEventShape, {
    /** The HR system the event came from (its route); a thin event's record is read from it. */
    source: sourceSchema,
    /** Who asked for the sync; the audit trail records it. Default: webhook. */
    origin: z.optional(z.enum(SYNC_ORIGINS)),
    /** The reconciliation or import that asked for this sync; its grant vouches for the fields below. */
    runId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    /**
     * An existing, unmanaged Connect user with the employee's user name that a
     * person (or the rules' automatic adoption) agreed the service adopts.
     */
    adoptUserId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
    /** A managed user whose employee is gone, deleted even without stored state (an orphan). */
    deleteUserId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
    /** The HR source looked twice and still does not know the employee: a leaver. */
    absentConfirmed: z.optional(z.literal(true)),
    /** A disabled leaver's grace has passed: the user is deleted now. */
    graceExpired: z.optional(z.literal(true)),
    /**
     * The facets the reconciliation found differing: a repair that finds one
     * already in place (its own earlier attempt, whose answer was lost, made
     * it) records that, since no call of its own will.
     */
    facets: z.optional(z.array(z.enum(FACETS)).check(z.maxLength(FACETS.length))),
    /**
     * A repair from an HR roster read at this time: the worker converges to
     * the record the run's grant kept (none: the roster does not list the
     * employee), never to one in the message.
     */
    rosterAt: z.optional(z.iso.datetime()),
  })
  .check(z.superRefine(recordMatchesEmployee));

export type SyncRequest = z.infer<typeof syncRequestSchema>;
