/**
 * TagResource and UntagResource on the ARN of a user or a quick connect.
 * DescribeUser, SearchUsers and DescribeQuickConnect show the result; every
 * change of tags moves LastModifiedTime, like any other change here.
 */
import { invalidParameter } from "../errors";
import type { OperationContext, OperationOutput } from "./context";

/** TagMap's maximum, which is also AWS's limit of tags on one resource. */
const MAX_TAGS_PER_RESOURCE = 50;

/** New keys are added, existing keys get the new value, the other tags stay. */
export function tagResource({ input, state }: OperationContext): OperationOutput {
  const record = state.requireTaggable(input.resourceArn);
  const tags = { ...record.tags, ...(input.tags as Record<string, string>) };
  if (Object.keys(tags).length > MAX_TAGS_PER_RESOURCE) {
    throw invalidParameter(`A resource can carry at most ${MAX_TAGS_PER_RESOURCE} tags.`);
  }
  record.tags = tags;
  state.touch(record);
  return undefined;
}

/** Keys the resource does not carry are ignored. */
export function untagResource({ input, state }: OperationContext): OperationOutput {
  const record = state.requireTaggable(input.resourceArn);
  const tags = { ...record.tags };
  for (const key of input.tagKeys as string[]) delete tags[key];
  record.tags = tags;
  state.touch(record);
  return undefined;
}
