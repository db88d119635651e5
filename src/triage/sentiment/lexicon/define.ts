// How the word lists are written: `words(weight, 'спасиб* сколько_можно трет*_дн*')`. A trailing * makes a stem
// that must start a word; without it the word must match whole. Underscores join the words of a phrase, and # in a
// phrase stands for any one word. Spelling is folded when the lexicon is built (case, ё, Kazakh letters, Latin
// accents), so each entry is written once, as people spell it.

export type EntryKind = 'polar' | 'negate' | 'negateAfter' | 'negateBoth' | 'intensify' | 'contrast';

export interface Entry {
  /** As written in the list, e.g. "не_работа*". */
  pattern: string;
  kind: EntryKind;
  /** Polar: the word's weight (−2…+2). Negators: the weight the word has when it negates nothing ("нет"). Intensifiers: the factor. */
  weight: number;
}

const split = (patterns: string) => patterns.split(/\s+/).filter(Boolean);

export const words = (weight: number, patterns: string): Entry[] => split(patterns).map((pattern) => ({ pattern, kind: 'polar', weight }));

export const modifiers = (kind: Exclude<EntryKind, 'polar'>, weight: number, patterns: string): Entry[] =>
  split(patterns).map((pattern) => ({ pattern, kind, weight }));
