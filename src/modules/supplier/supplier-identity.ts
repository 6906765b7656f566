import { domainToASCII, domainToUnicode } from 'node:url';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { INVISIBLE } from '../../common/text.js';

/**
 * How supplier identities are stored and compared, so that no supplier can be named as another with
 * characters that render the same (issue 11, hostile review): invisible format characters, look-alike
 * letters from other scripts, spacing and punctuation, or another way of writing the company form.
 *
 * - `normaliseName` is what is stored: NFKC, format characters and other default-ignorable code points
 *   (zero-width spaces and joiners, soft hyphens, bidi marks, Hangul fillers, variation selectors)
 *   removed, control characters removed, whitespace collapsed to single spaces and trimmed.
 * - `identitySkeleton` is what is compared (stored beside the name, see supplier.entity.ts): the
 *   normalised name with Cyrillic, Greek and other look-alike letters mapped to the Latin letters they
 *   imitate, case-folded, accents dropped, "&" read as "and", company forms written one way (Ltd,
 *   Limited, PLC, Public Limited Company, LLP: all "ltd"; Company: "co"), a leading "The" dropped, and
 *   everything but letters and digits removed. Two names with one skeleton read the same to a buyer.
 * - `websiteHost` is what websites are compared by: the URL's host as the WHATWG URL parser gives it
 *   (lower case, internationalised names in punycode), without a trailing dot or a leading "www.", and
 *   with look-alike letters in an internationalised name read as the Latin ones they imitate (so
 *   https://аshdown.example, with a Cyrillic а, is the host ashdown.example).
 */

const CONTROL = /\p{Cc}/gu;
const VISIBLE = /[\p{L}\p{N}]/u;

/** The form a supplier's trading or legal name is stored in; null stays null. */
export function normaliseName(value: string): string;
export function normaliseName(value: string | null | undefined): string | null;
export function normaliseName(value: string | null | undefined): string | null {
  if (value == null) return null;
  return value
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .normalize('NFKC') // what was either side of a removed character may now compose
    .replace(/\s+/gu, ' ')
    .replace(CONTROL, '')
    .trim();
}

/** Whether a (normalised) name has something a reader can see: a letter or a digit. */
export const hasVisibleCharacter = (value: string): boolean => VISIBLE.test(value);

/**
 * Letters of other scripts (and a few Latin ones) that render as a Latin letter, mapped to it. A
 * small explicit table after Unicode's confusables.txt, which is not to hand: capitals are mapped
 * before case-folding (Cyrillic В looks like B, though its lower case в does not look like b).
 */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic capitals
  А: 'A', В: 'B', Е: 'E', Ѐ: 'E', Ё: 'E', З: '3', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y', Х: 'X',
  Ѕ: 'S', І: 'I', Ї: 'I', Ј: 'J', Ԛ: 'Q', Ԝ: 'W', Ү: 'Y', Ӏ: 'I', Һ: 'H', Ԁ: 'D', Ɛ: 'E',
  // Cyrillic small
  а: 'a', е: 'e', ѐ: 'e', ё: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ӏ: 'l',
  ԛ: 'q', ԝ: 'w', һ: 'h', ү: 'y', ɡ: 'g', ӕ: 'ae',
  // Greek capitals
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X', Ϲ: 'C', Ϳ: 'J',
  // Greek small
  α: 'a', β: 'b', γ: 'y', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ϲ: 'c', ϳ: 'j', ς: 's', ω: 'w',
  // Armenian
  օ: 'o', ս: 'u', ց: 'g', հ: 'h', ո: 'n', Օ: 'O', Ս: 'U',
  // Latin look-alikes NFKC leaves alone
  ı: 'i', ȷ: 'j', ɑ: 'a', ɩ: 'i', ʋ: 'u', ɒ: 'a', ℮: 'e', ǀ: 'l', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ħ: 'h', ł: 'l', Ł: 'L',
};
const mapConfusables = (value: string) => Array.from(value, (c) => CONFUSABLES[c] ?? c).join('');

/** Company forms and other words written more than one way, each read as one (whole words only). */
const WORDS: [RegExp, string][] = [
  [/(?<=^| )(?:public limited company|limited liability partnership|limited|ltd|plc|llp)(?= |$)/g, 'ltd'],
  [/(?<=^| )(?:company|co)(?= |$)/g, 'co'],
  [/^the /, ''],
];

/** The form two names are compared in: equal skeletons mean the names read the same. */
export function identitySkeleton(value: string): string;
export function identitySkeleton(value: string | null | undefined): string | null;
export function identitySkeleton(value: string | null | undefined): string | null {
  if (value == null) return null;
  const letters = mapConfusables(mapConfusables(normaliseName(value)).toLowerCase())
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[&+]/g, ' and ');
  const words = letters.split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' ');
  const canonical = WORDS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), words);
  return (canonical || words).replace(/ /g, '');
}

/** The host two websites are compared by; null when there is no website (or it is not a URL). */
export function websiteHost(value: string | null | undefined): string | null {
  if (value == null) return null;
  try {
    const host = new URL(value.trim()).hostname.toLowerCase().replace(/\.$/, '').replace(/^www\./, '');
    if (!host.includes('xn--')) return host || null;
    return domainToASCII(mapConfusables(domainToUnicode(host)).toLowerCase()) || host;
  } catch {
    return null;
  }
}

/** A trading or legal name with at least one visible letter or digit once invisible characters are removed. */
export function IsVisibleName(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isVisibleName',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must contain a visible letter or digit`, ...options },
      validator: { validate: (value: unknown) => value === undefined || value === null || (typeof value === 'string' && hasVisibleCharacter(normaliseName(value))) },
    });
}
