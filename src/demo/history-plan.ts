// The demo history as a plan: which appeals the last two weeks brought (text, language, channel, street, time,
// resident) and what was to become of each (who takes it, when, whether a question is asked, how soon it is
// fixed, what the resident does). Pure and deterministic: the same file and the same "now" give the same plan, so
// a second start finds the same `demo-h<i>` ids and adds nothing. src/demo/history.ts carries it out through the
// real commands.
import { deflateSync as deflate } from 'node:zlib';
import type { z } from 'zod';
import type { DemoHistoryFile, Language } from '../config/schema.js';

export type HistoryData = z.infer<typeof DemoHistoryFile>;
type Texts = HistoryData['questions'];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A small seeded generator (mulberry32): the plan must not change from one start to the next. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length) % xs.length] as T;
const between = (r: () => number, lo: number, hi: number) => lo + r() * (hi - lo);

/** A text in the wanted language, else in Russian (every list has Russian). */
export const inLanguage = (texts: Texts, lang: Language, r: () => number) => pick(r, texts[lang] ?? texts.ru);

/** What happens to the ticket besides being worked and resolved. */
export type Detour = 'none' | 'ask' | 'silent_ask' | 'hand_back' | 'reject' | 'duplicate';
export type ResidentMove = 'confirm' | 'rate_only' | 'reopen' | 'silent';

export interface PlannedAppeal {
  externalId: string;
  channel: 'web' | 'phone' | 'open311';
  language: Language;
  /** The category an operator would give it: a triage that disagrees is corrected when the operator assigns. */
  category: string;
  text: string;
  address: string;
  lat: number;
  lon: number;
  receivedAt: Date;
  sender: { name: string; phone: string };
  /** Minutes from reaching the organisation to being accepted. */
  acceptAfter: number;
  detour: Detour;
  detourAfter: number;
  /** Minutes the resident takes to answer a question. */
  replyAfter: number;
  /** When it is fixed, as a share of the time from receipt to the resolution deadline (above 1: late). */
  resolveShare: number;
  resident: ResidentMove;
  residentAfter: number;
  /** After a reopening: whether the organisation has taken it again yet. */
  reworked: boolean;
  score: number;
  texts: { note: string; question: string; answer: string; handback: string; reopen: string; comment: string; reject: string; duplicate: string };
}

/** The appeals of the last `days` days before `now`, oldest first. */
export function planHistory(data: HistoryData, now: Date): PlannedAppeal[] {
  const total = data.problems.reduce((s, p) => s + p.weight, 0);
  const span = data.days * 24 * HOUR;
  const out: PlannedAppeal[] = [];
  for (let i = 0; i < data.appeals; i++) {
    const r = random(0x51a1a + i * 7919);
    // Spread evenly over the period, a little jitter, and nights (Astana, UTC+5) moved into the day: fewer
    // people write at 3 a.m.
    let ago = ((data.appeals - i - r()) / data.appeals) * span;
    const hour = new Date(now.getTime() - ago + 5 * HOUR).getUTCHours();
    if (hour < 7 && ago > 8 * HOUR) ago -= 8 * HOUR;
    const receivedAt = new Date(Math.floor((now.getTime() - Math.max(ago, 20 * MINUTE)) / MINUTE) * MINUTE);
    const problem = weighted(data.problems, r() * total);
    const l = r();
    const wanted: Language = l < 0.55 ? 'ru' : l < 0.9 ? 'kk' : 'en';
    const language: Language = problem[wanted] ? wanted : 'ru';
    // Every appeal is about a building of its own (street by index, house by a permutation of 1..90), so unrelated
    // appeals are never taken for reports of one problem.
    const street = data.streets[i % data.streets.length] as HistoryData['streets'][number];
    const house = 1 + ((Math.floor(i / data.streets.length) * 37) % 90);
    const address = `${street[language]}, ${house}`;
    const text = pick(r, problem[language] ?? problem.ru).replace('{addr}', address);
    const c = r();
    const d = r();
    const detour: Detour =
      d < 0.03 ? 'reject' : d < 0.06 ? 'duplicate' : d < 0.12 ? 'hand_back' : d < 0.22 ? 'ask' : d < 0.25 ? 'silent_ask' : 'none';
    const late = r() < 0.18;
    const m = r();
    const resident: ResidentMove = m < 0.62 ? 'confirm' : m < 0.72 ? 'rate_only' : m < 0.8 ? 'reopen' : 'silent';
    const s = r();
    const noteLang = r() < 0.7 ? 'ru' : 'kk';
    out.push({
      externalId: `demo-h${i}`,
      channel: c < 0.5 ? 'web' : c < 0.85 ? 'phone' : 'open311',
      language,
      category: problem.category,
      text,
      address,
      // Near the street's point (±~400 m), by the house number, so the same house is always at the same place.
      lat: round(street.lat + (((house * 37) % 21) - 10) * 0.0004),
      lon: round(street.lon + (((house * 53) % 21) - 10) * 0.0006),
      receivedAt,
      sender: { name: pick(r, data.names), phone: `+7 700 000 ${String(1000 + i).slice(-4, -2)} ${String(1000 + i).slice(-2)}` },
      acceptAfter: Math.round(between(r, 15, 240)),
      detour,
      detourAfter: Math.round(between(r, 20, 120)),
      replyAfter: Math.round(between(r, 90, 30 * 60)),
      resolveShare: late ? between(r, 1.05, 1.6) : between(r, 0.15, 0.9),
      resident,
      residentAfter: Math.round(between(r, 60, 36 * 60)),
      reworked: r() < 0.6,
      score: s < 0.45 ? 5 : s < 0.8 ? 4 : 3,
      texts: {
        note: pick(r, problem.notes[noteLang]),
        question: inLanguage(data.questions, language, r),
        answer: inLanguage(data.answers, language, r),
        handback: pick(r, data.handbacks.ru),
        reopen: inLanguage(data.reopens, language, r),
        comment: inLanguage(data.comments, language, r),
        reject: pick(r, data.rejects),
        duplicate: pick(r, data.duplicates),
      },
    });
  }
  return out;
}

/** The item whose share of the total weight holds `w` (0 ≤ w < total). */
function weighted<T extends { weight: number }>(items: readonly T[], w: number): T {
  let left = w;
  for (const item of items) {
    left -= item.weight;
    if (left < 0) return item;
  }
  return items[items.length - 1] as T;
}

const round = (x: number) => Math.round(x * 1e5) / 1e5;

/** A small valid PNG (a green square): the proof photo an executor attaches when the city requires one. */
export function proofPng(): Buffer {
  const size = 8;
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) raw.set([40, 150 + x * 8, 90 + y * 8], y * (size * 3 + 1) + 1 + x * 3);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflate(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function crc32(b: Buffer): number {
  let c = ~0;
  for (const byte of b) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
