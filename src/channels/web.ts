// The city's own appeal channels: the web portal (public form and POST /api/v1/appeals) and the 109 line
// (an operator files the caller's words). Both validate the same body and become an InboundMessage.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { InboundMessage } from '../inbox/intake.js';

const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
/** Five photos of 5 MB in base64 (4/3 larger) plus the text fit. */
export const APPEAL_BODY_LIMIT = 36 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] as const;

/** Readable text: at least one letter or digit once markup is set aside, and no control characters. */
export const AppealText = z
  .string()
  .max(5000, 'text is longer than 5000 characters')
  .refine((t) => /[\p{L}\p{N}]/u.test(t.replace(/<[^>]*>/g, '')), 'text has no readable words')
  .refine((t) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(t), 'text contains control characters');

export const Photo = z.object({
  content_type: z.enum(PHOTO_TYPES),
  filename: z.string().max(200).optional(),
  data: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'data must be base64')
    .refine((d) => (d.length * 3) / 4 <= MAX_PHOTO_BYTES + 3, 'a photo may be at most 5 MB'),
});

/** A client's key for a retried request (Idempotency-Key header): the same key files one appeal. */
export const IdempotencyKey = z
  .string()
  .regex(/^[\w.:-]{8,100}$/, '8–100 letters, digits, ".", ":", "-" or "_"')
  .optional();

export const Contact = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  phone: z
    .string()
    .regex(/^\+?[\d\s()-]{5,20}$/, 'a phone number')
    .optional(),
  email: z.string().email().max(200).optional(),
});

export const AppealBody = z
  .object({
    text: AppealText,
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    address: z.string().trim().min(2).max(300).optional(),
    contact: Contact.optional(),
    photos: z.array(Photo).max(5, 'at most 5 photos').optional(),
  })
  .strict()
  .refine((b) => (b.lat === undefined) === (b.lon === undefined), { message: 'give both lat and lon, or neither', path: ['lat'] });
export type AppealBody = z.infer<typeof AppealBody>;

export function appealToInbound(
  channel: 'web' | 'phone',
  body: AppealBody,
  opts: { idempotencyKey?: string | undefined; enteredBy?: number },
): InboundMessage {
  const location = body.lat !== undefined || body.address ? { lat: body.lat, lon: body.lon, address: body.address } : null;
  return {
    channel,
    externalId: opts.idempotencyKey ?? randomUUID(),
    text: body.text,
    location,
    sender: body.contact ? { name: body.contact.name, phone: body.contact.phone, email: body.contact.email } : null,
    attachments: (body.photos ?? []).map((p) => ({ contentType: p.content_type, filename: p.filename, bytes: Buffer.from(p.data, 'base64') })),
    // The body as sent, less the photo bytes (kept in attachments).
    raw: { ...body, photos: body.photos?.map((p) => ({ content_type: p.content_type, filename: p.filename })) },
    enteredBy: opts.enteredBy ?? null,
  };
}
