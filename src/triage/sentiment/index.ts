// Sentiment of a message: the judge (lexicon for Russian and English, lexicon + KazSAnDRA model for Kazakh).
export { type JudgedLanguage, MODEL_FILE, MODELS_DIR, SentimentJudge, type SentimentJudgement, type SentimentLabel } from './judge.js';
export { type LexiconScan, scanLexicon } from './scan.js';
