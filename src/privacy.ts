// What may leave the building: resident text on public outputs has contact details and flat numbers masked.
// The stored original is never changed; this applies only to what public pages and APIs show.

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// Not inside a longer number, and not a ticket number (AST-2026-000123 has as many digits as a phone).
const PHONE = /(?<!\d)(?<!\p{L}-)(?:\+?\d[\s()-]*){7,}\d/gu;
const FLAT = /(?<!\p{L})(кв|квартира|пәтер|apt|apartment|flat)\.?\s*№?\s*\d+\p{L}?/giu;
const FLAT_KK = /(?<![\p{L}\p{N}])\d+\p{L}?\s*(пәтер|үй-жай)/giu;
const HANDLE = /(^|[\s(])@[\w.]{2,}/g;

export function redactPersonalData(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(PHONE, '[phone]')
    .replace(FLAT, (_m, w: string) => `${w} [*]`)
    .replace(FLAT_KK, (_m, w: string) => `[*] ${w}`)
    .replace(HANDLE, (_m, pre: string) => `${pre}@[user]`);
}
