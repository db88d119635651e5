// Meta webhooks (Instagram and Facebook Pages share the mechanics): the GET verification handshake, the
// X-Hub-Signature-256 check over the raw body bytes, and the envelope every notification comes in. The handler
// persists what arrived before the route answers 200, because Meta keeps no copy of a notification.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Logger } from '../../log.js';

export const MetaChange = z.object({ field: z.string(), value: z.unknown() });
export type MetaChange = z.infer<typeof MetaChange>;

export const MetaEnvelope = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: z.string(),
      time: z.number().optional(),
      changes: z.array(MetaChange).optional(),
    }),
  ),
});
export type MetaEnvelope = z.infer<typeof MetaEnvelope>;
export type MetaEntry = MetaEnvelope['entry'][number];

/** True when `header` is "sha256=" + hex HMAC-SHA256(appSecret, body); compared in constant time. */
export function validSignature(appSecret: string, body: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', appSecret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface MetaWebhookOptions {
  channel: string;
  /** The `object` this webhook carries: "instagram" or "page". */
  object: string;
  appSecret: string;
  verifyToken: string | undefined;
  log: Logger;
  /** Stores each change; throws only when nothing could be stored, so Meta delivers again. */
  handle(entry: MetaEntry, change: MetaChange): Promise<void>;
}

const Handshake = z.object({
  'hub.mode': z.string().optional(),
  'hub.verify_token': z.string().optional(),
  'hub.challenge': z.string().optional(),
});

export async function metaWebhookRoutes(app: FastifyInstance, o: MetaWebhookOptions): Promise<void> {
  // Keep the exact bytes: the signature is over them, and a re-serialised body would never match.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 4 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.get('/webhook', { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (req, reply) => {
    const q = Handshake.safeParse(req.query);
    const h = q.success ? q.data : {};
    if (!o.verifyToken || h['hub.mode'] !== 'subscribe' || !h['hub.verify_token'] || !sameText(h['hub.verify_token'], o.verifyToken)) {
      o.log.warn({ channel: o.channel }, 'webhook verification refused: wrong mode or verify token');
      return reply.code(403).type('text/plain').send('forbidden');
    }
    return reply
      .code(200)
      .type('text/plain')
      .send(h['hub.challenge'] ?? '');
  });

  app.post('/webhook', { config: { rateLimit: { max: 1200, timeWindow: '1 minute' } } }, async (req, reply) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.headers['x-hub-signature-256'];
    if (!validSignature(o.appSecret, raw, typeof signature === 'string' ? signature : undefined)) {
      o.log.warn({ channel: o.channel, signed: signature !== undefined }, 'webhook refused: bad or missing X-Hub-Signature-256');
      return reply.code(401).send({ error: 'invalid signature' });
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      o.log.warn({ channel: o.channel }, 'webhook ignored: body is not JSON');
      return reply.code(200).send({ ok: true });
    }
    const envelope = MetaEnvelope.safeParse(json);
    if (!envelope.success || envelope.data.object !== o.object) {
      o.log.warn({ channel: o.channel, object: (json as { object?: unknown })?.object }, 'webhook ignored: not a notification for this channel');
      return reply.code(200).send({ ok: true });
    }
    for (const entry of envelope.data.entry) {
      for (const change of entry.changes ?? []) await o.handle(entry, change);
    }
    return reply.code(200).send({ ok: true });
  });
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
