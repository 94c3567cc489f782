import { employeeIdSchema } from "../domain/hr";
import * as z from "../domain/zod";

/**
 * An HR vendor's employee id, which may come as a number: the same id as a
 * string. A module of its own, so that only the vendors' webhooks, loaded
 * with their route's first request, build it.
 */
export const vendorEmployeeIdSchema = z.pipe(
  z.pipe(
    z.union([z.string().check(z.trim()), z.number().check(z.int(), z.nonnegative())]),
    z.transform(String),
  ),
  employeeIdSchema,
);
