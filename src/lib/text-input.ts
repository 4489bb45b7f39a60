import { z } from 'zod';

/**
 * Text as it comes in (forms, JSON, CLI options), refused before it reaches a store when it holds
 * control characters (Unicode category Cc: U+0000–U+001F, U+007F–U+009F). NUL breaks PostgreSQL's
 * text and JSON types outright (SQLite takes it, so the two stores would disagree); the others have
 * no place in a name, an address or a reason, and can hide text from the person reading it later.
 * Free text keeps tab and newline (and CR before LF: browsers send a textarea's lines as CRLF).
 */

const CONTROL = /\p{Cc}/u;
const CONTROL_IN_FREE_TEXT = /(?![\t\n]|\r\n)\p{Cc}/u;

export const CONTROL_CHARACTERS_MESSAGE = 'must not contain control characters (such as NUL)';
export const CONTROL_CHARACTERS_IN_TEXT_MESSAGE =
  'must not contain control characters (such as NUL); tab and newline are fine';

/** True when `value` holds a control character; `multiline` allows tab, newline and CRLF. */
export function hasControlCharacters(value: string, options: { multiline?: boolean } = {}): boolean {
  return (options.multiline ? CONTROL_IN_FREE_TEXT : CONTROL).test(value);
}

type StringParams = Parameters<typeof z.string>[0];

const refuse = (multiline: boolean, params?: StringParams) =>
  z.string(params).refine((s) => !hasControlCharacters(s, { multiline }), {
    error: multiline ? CONTROL_CHARACTERS_IN_TEXT_MESSAGE : CONTROL_CHARACTERS_MESSAGE,
    // First and alone: a field with NUL in it is about that, not about its length or shape.
    abort: true,
    params: { controlCharacters: true },
  });

/** A one-line text field (a name, an address, an id, a version): no control character at all. */
export const oneLine = (params?: StringParams) => refuse(false, params);

/** Free text (a message, a reason, a description): tab and newline allowed, no other control character. */
export const multiLine = (params?: StringParams) => refuse(true, params);

/** Whether a zod issue is the refusal of control characters (forms show their own words for it). */
export const isControlCharacterIssue = (issue: z.core.$ZodIssue): boolean =>
  issue.code === 'custom' && (issue.params as { controlCharacters?: boolean } | undefined)?.controlCharacters === true;
