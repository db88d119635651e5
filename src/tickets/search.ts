// The console's full-text search as plain functions: an operator's words become a Postgres tsquery over the
// messages' folded words (the expression index of migration 0015). Every word may end differently ("прорыв"
// finds "прорыва": prefix match) and may be typed in another script: Kazakh in Latin ("jaryq jok"), Russian in
// Latin ("svet net"), or Cyrillic looked for in texts residents wrote in Latin. Folding (case, ё, Kazakh letters)
// is left to the database's qala_fold, applied to the index and the query alike, so both sides agree.
import { sql } from 'kysely';
import { cyrillicToLatin, latinToCyrillic, russianLatinToCyrillic, unifyLookalikes } from '../triage/text/index.js';

/** At most this many words count: a search is a few words, not a paragraph. */
const MAX_WORDS = 8;

/** The spellings worth looking for of one word the operator typed. */
export function variantsOf(word: string): string[] {
  const out = new Set([word]);
  if (/\p{Script=Latin}/u.test(word)) {
    out.add(latinToCyrillic(word));
    out.add(russianLatinToCyrillic(word));
  } else if (/\p{Script=Cyrillic}/u.test(word)) {
    out.add(cyrillicToLatin(word.toLowerCase()));
  }
  // Only letters and digits reach the query: the tsquery syntax (& | ! : * ( ) ') is never the operator's to write.
  return [...out].map((v) => v.replace(/[^\p{L}\p{N}]+/gu, '')).filter((v) => v.length > 0);
}

/** A tsquery text (before folding) for `q`, or null when it holds no word to look for. */
export function searchQuery(q: string): string | null {
  const words = unifyLookalikes(q)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, MAX_WORDS);
  const groups = words.map((w) => variantsOf(w)).filter((vs) => vs.length > 0);
  if (groups.length === 0) return null;
  return groups.map((vs) => `(${vs.map((v) => `${v}:*`).join(' | ')})`).join(' & ');
}

/** The indexed expression of migration 0015; a query must spell it exactly for the index to serve it. */
export const messageWords = sql`to_tsvector('simple'::regconfig, qala_fold(m.text))`;

/** `messageWords @@ query` for the query text of searchQuery. */
export function matches(query: string) {
  return sql<boolean>`${messageWords} @@ to_tsquery('simple'::regconfig, qala_fold(${query}))`;
}
