// Text handling shared by every triage step: normalisation, Kazakh transliteration and folding, language ID.
export { decodeEntities } from './entities.js';
export { looksLikeHtml, stripHtml } from './html.js';
export {
  type DetectedLanguage,
  detectLanguage,
  type LanguageParts,
  type LanguageResult,
  languageOf,
  type Script,
  type WordEvidence,
  wordEvidence,
} from './language.js';
export { type EmojiMood, lowerKazakh, MARKERS, type NormalisedText, normalise, unifyLookalikes } from './normalise.js';
export {
  type CyrillicToLatinScheme,
  cyrillicToLatin,
  detectLatinScheme,
  foldKazakh,
  type LatinScheme,
  latinToCyrillic,
  russianLatinToCyrillic,
  russianSkeleton,
} from './translit.js';
