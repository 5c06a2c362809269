import { z } from 'zod';
import { MAX_COMMENT_LENGTH, MAX_NAME_LENGTH, MAX_PATH_LENGTH, textUpTo } from './limits.js';

/**
 * Field types shared by the request schemas. Clients send booleans and numbers as JSON values or,
 * in query strings and multipart fields, as text; absent, null and (for query parameters) empty
 * mean the same. The messages are the ones the workspace answered before the schemas existed.
 */

const emptyIsAbsent = (v: unknown): unknown => (v === null || v === '' ? undefined : v);

/** `true`/`false` as JSON or text (`True`/`False` from Python clients). */
export const Flag = z.preprocess(
  emptyIsAbsent,
  z
    .union([z.boolean(), z.enum(['true', 'false', 'True', 'False'])], {
      error: (iss) => `expected true or false, got ${JSON.stringify(iss.input)}`,
    })
    .transform((v) => v === true || v === 'true' || v === 'True')
    .optional(),
);

const integerText = /^-?\d+$/;

function integer(what: string) {
  return z
    .union([z.number(), z.string()])
    .transform((v, ctx) => {
      const n = typeof v === 'number' ? v : integerText.test(v.trim()) ? Number(v) : NaN;
      if (Number.isSafeInteger(n)) return n;
      ctx.addIssue({ code: 'custom', message: `expected ${what}, got ${JSON.stringify(v)}` });
      return z.NEVER;
    })
    .optional();
}

/** An integer as a JSON number or decimal text. */
export const Int = z.preprocess(emptyIsAbsent, integer('an integer'));

/** An int64 id: JSON number or decimal text (clients send both). */
export const Id = z.preprocess(emptyIsAbsent, integer('an integer id'));

const text = () => z.string({ error: 'expected a string' });

/** A required string; empty counts as missing. `inner` adds checks (a pattern, a length). */
export function required<T extends z.ZodType<string>>(inner: T) {
  return z.preprocess((v) => (v === '' ? undefined : v), inner);
}

/** A required, non-empty string. */
export const RequiredText = required(text());

/** An optional string; null means absent. */
export const OptionalText = z.preprocess((v) => (v === null ? undefined : v), text().optional());

/** A required workspace path of at most MAX_PATH_LENGTH characters. */
export const RequiredPath = required(textUpTo(MAX_PATH_LENGTH));

/** An optional principal name (user, service principal); null means absent. */
export const OptionalName = z.preprocess((v) => (v === null ? undefined : v), textUpTo(MAX_NAME_LENGTH).optional());

/** An optional short comment (a token's); null means absent. */
export const OptionalComment = z.preprocess((v) => (v === null ? undefined : v), textUpTo(MAX_COMMENT_LENGTH).optional());
