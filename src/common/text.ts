/**
 * Text PostgreSQL cannot store or JSON cannot carry: a NUL character (PostgreSQL's text types refuse
 * it, and the driver reports it as a broken connection) or half of a UTF-16 surrogate pair (it
 * becomes invalid JSON in an audit row).
 */
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function unsafeCharacter(text: string): 'NUL_CHARACTER' | 'LONE_SURROGATE' | undefined {
  const found = UNSAFE.exec(text);
  if (!found) return undefined;
  return found[0] === '\u0000' ? 'NUL_CHARACTER' : 'LONE_SURROGATE';
}

export const UNSAFE_CHARACTER_MESSAGE = {
  NUL_CHARACTER: 'contains a NUL character (\\u0000), which the catalogue cannot store',
  LONE_SURROGATE: 'contains half of a UTF-16 surrogate pair, which is not valid text',
} as const;

/** Format characters and other default-ignorable code points: zero-width spaces and joiners, soft hyphens, bidi marks, Hangul fillers, variation selectors. */
export const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const VISIBLE = /[\p{L}\p{N}]/u;

/**
 * Whether text has something a reader can see once invisible characters are removed: a letter or a
 * digit (spaces, a braille blank, combining marks alone or punctuation alone are not a name, a title
 * or a justification).
 */
export const hasVisibleText = (value: string | null | undefined): boolean => !!value && VISIBLE.test(value.normalize('NFKC').replace(INVISIBLE, ''));
