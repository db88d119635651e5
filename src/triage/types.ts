// What every triage engine takes and gives: the contract between the triage stage and whatever understands the text.
import type { Language, Urgency } from '../config/schema.js';
import type { DetectedLanguage, Script } from './text/index.js';

export type MessageKind = 'complaint' | 'question' | 'thanks' | 'suggestion' | 'noise';
export type Sentiment = 'negative' | 'neutral' | 'positive';

export interface TriageInput {
  text: string;
  lat?: number | null;
  lon?: number | null;
  address?: string | null;
}

export interface TriageResult {
  engine: string;
  language: DetectedLanguage;
  languageConfidence: number;
  /** The language to answer in: "mixed" answers in the dominant script's language. */
  replyLanguage: Language;
  kind: MessageKind;
  category: string | null;
  confidence: number;
  sentiment: Sentiment;
  urgency: Urgency;
  address: string | null;
  lat: number | null;
  lon: number | null;
  district: string | null;
  explanation: {
    language: { method: 'words'; script: Script; confidence: number };
    category: { keyword: string; category: string }[];
    /** Which engine chose the category: the learned model (with the n-grams behind it) or the seed keywords. */
    categoryBy?: CategoryDecision;
    urgency: string[];
    kind: string[];
    /** How sentiment was judged (lexicon, the Kazakh model or both), its score (−1…1) and the cues behind it. */
    sentiment?: { method: string; score: number; cues: string[] };
    /** How the place was found; the words of the text that named it, if any. */
    place: { method: PlaceMethod; matched?: string; precision?: 'house' | 'street' | 'area' };
  };
}

export interface CategoryDecision {
  method: 'model' | 'keywords' | 'declared';
  /** The model's own view, also when the keywords were used instead (below its confidence threshold). */
  model?: {
    id: number;
    label: string;
    confidence: number;
    threshold: number;
    alternatives: { label: string; p: number }[];
    features: { feature: string; weight: number }[];
  };
}

export type PlaceMethod = 'point' | 'named_district' | 'gazetteer' | 'street' | 'area' | 'point_outside' | 'none';

export interface TriageEngine {
  readonly version: string;
  triage(input: TriageInput): TriageResult;
}
