// Open311 GeoReport v2 as an inbound channel: a POSTed service request becomes an InboundMessage whose
// category is the one the client chose (service_code = category code).
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { InboundMessage } from '../inbox/intake.js';

const num = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'a decimal number')
    .transform(Number)
    .pipe(z.number().min(min).max(max));

export const Open311Post = z.object({
  api_key: z.string().min(1, 'api_key is required'),
  jurisdiction_id: z.string().optional(),
  service_code: z.string().min(1, 'service_code is required'),
  lat: num(-90, 90).optional(),
  long: num(-180, 180).optional(),
  address_string: z.string().trim().min(1).max(300).optional(),
  address_id: z.string().trim().min(1).max(100).optional(),
  email: z.string().email('email is not an e-mail address').optional(),
  device_id: z.string().max(200).optional(),
  account_id: z.string().max(200).optional(),
  first_name: z.string().max(100).optional(),
  last_name: z.string().max(100).optional(),
  phone: z.string().max(30).optional(),
  description: z.string().max(4000).optional(),
  media_url: z.string().url().max(2000).optional(),
  attribute: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
});
export type Open311Post = z.infer<typeof Open311Post>;

/** A GeoReport v2 form body as the parser leaves it: `attribute[code]=v` and `attribute[code][]=v` (multivaluelist)
 * are folded into `attribute`, and an empty field counts as not sent (the standard's rule for optional arguments). */
export function fromForm(body: unknown): Record<string, unknown> {
  const out = new Map<string, unknown>();
  const attribute = new Map<string, string | string[]>();
  for (const [k, v] of Object.entries(body && typeof body === 'object' ? body : {})) {
    if (v === '') continue;
    const [, code, many] = /^attribute\[([^\]]+)\](\[\])?$/.exec(k) ?? [];
    if (!code) out.set(k, v);
    else if (many) attribute.set(code, [attribute.get(code) ?? [], v as string | string[]].flat());
    else attribute.set(code, v as string | string[]);
  }
  if (attribute.size) out.set('attribute', Object.fromEntries(attribute));
  return Object.fromEntries(out);
}

export function open311ToInbound(p: Open311Post, serviceName: string): InboundMessage {
  const token = randomUUID();
  const name = [p.first_name, p.last_name].filter(Boolean).join(' ') || undefined;
  const { api_key: _secret, ...kept } = p;
  return {
    channel: 'open311',
    externalId: token,
    // A request may come with no description: the service name then stands for the resident's words.
    text: p.description?.trim() || serviceName,
    location: { lat: p.lat, lon: p.long, address: p.address_string ?? p.address_id },
    sender: p.email || p.phone || p.account_id || name ? { name, email: p.email, phone: p.phone, channelUserId: p.account_id } : null,
    raw: { ...kept, declared_category: p.service_code },
  };
}
