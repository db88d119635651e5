// VK Callback API: POST /channels/vk/callback. "confirmation" is answered with the confirmation string; every
// other event must carry the shared secret and is answered "ok" once stored. Wall posts and comments are heard in
// public, messages to the community are written to the city. External ids are stable, so a redelivered event
// (same event_id) stores nothing new.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../context.js';
import { type InboundMessage, receive } from '../../inbox/intake.js';
import type { MessageLocation } from '../../store/schema.js';

export const CHANNEL = 'vk';

const Id = z.coerce.number().int();
const CallbackEvent = z.object({
  type: z.string().min(1),
  group_id: Id,
  event_id: z.string().optional(),
  secret: z.string().optional(),
  v: z.string().optional(),
  object: z.record(z.string(), z.unknown()).optional(),
});
type CallbackEvent = z.infer<typeof CallbackEvent>;

const WallPost = z.looseObject({ id: Id, owner_id: Id, from_id: Id, text: z.string().default(''), date: z.number().optional() });
const WallComment = z.looseObject({
  id: Id,
  from_id: Id,
  post_id: Id,
  post_owner_id: Id.optional(),
  owner_id: Id.optional(),
  text: z.string().default(''),
  date: z.number().optional(),
});
const PrivateMessage = z.looseObject({
  id: Id.optional(),
  peer_id: Id,
  from_id: Id,
  text: z.string().default(''),
  conversation_message_id: Id.optional(),
  out: z.number().optional(),
  date: z.number().optional(),
});

export async function vkRoutes(ctx: Context, app: FastifyInstance) {
  // VK posts JSON; accept it whatever content type a proxy leaves on it.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (err) {
      done(Object.assign(err as Error, { statusCode: 400 }), undefined);
    }
  });
  app.post('/callback', { config: { rateLimit: { max: 1200, timeWindow: '1 minute' } } }, async (req, reply) => {
    const parsed = CallbackEvent.safeParse(req.body);
    if (!parsed.success) {
      ctx.log.warn({ channel: CHANNEL, issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'VK callback: malformed event refused');
      return reply.status(400).type('text/plain').send('malformed event');
    }
    const event = parsed.data;
    const { VK_GROUP_ID, VK_CONFIRMATION, VK_SECRET } = ctx.settings;
    if (String(event.group_id) !== VK_GROUP_ID) {
      ctx.log.warn({ channel: CHANNEL, group_id: event.group_id }, 'VK callback: event for another community refused');
      return reply.status(403).type('text/plain').send('wrong community');
    }
    if (event.type === 'confirmation') return reply.type('text/plain').send(VK_CONFIRMATION);
    if (!VK_SECRET || !sameSecret(event.secret, VK_SECRET)) {
      ctx.log.warn({ channel: CHANNEL, type: event.type, event_id: event.event_id }, 'VK callback: wrong or missing secret, event refused');
      return reply.status(403).type('text/plain').send('bad secret');
    }
    const msg = toInbound(ctx, event);
    if (msg) {
      const r = await receive(ctx, msg);
      if (r.duplicate) ctx.log.info({ channel: CHANNEL, event_id: event.event_id, message: r.messageId }, 'VK callback: repeated event ignored');
    }
    return reply.type('text/plain').send('ok');
  });
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The message to store for an event, or null (with a log line) when the event is not one Qala listens to. */
function toInbound(ctx: Context, event: CallbackEvent): InboundMessage | null {
  const community = -Number(ctx.settings.VK_GROUP_ID);
  const addressedTo = [String(ctx.settings.VK_GROUP_ID)];
  const ignore = (why: string) => {
    ctx.log.info({ channel: CHANNEL, type: event.type, event_id: event.event_id, why }, 'VK callback: event ignored');
    return null;
  };
  const raw = { type: event.type, event_id: event.event_id ?? null, v: event.v ?? null, object: event.object ?? null };
  switch (event.type) {
    case 'wall_post_new': {
      const p = WallPost.safeParse(event.object);
      if (!p.success) return ignore('malformed post');
      if (p.data.from_id === community) return ignore('the community’s own post');
      if (!p.data.text.trim()) return ignore('no text');
      return {
        channel: CHANNEL,
        externalId: `wall:${p.data.owner_id}_${p.data.id}`,
        threadRef: `wall${p.data.owner_id}_${p.data.id}`,
        text: p.data.text,
        location: locationOf(p.data.geo),
        sender: { channelUserId: String(p.data.from_id) },
        raw,
        audience: 'public',
        addressedTo,
        ...dated(p.data.date),
      };
    }
    case 'wall_reply_new': {
      const c = WallComment.safeParse(event.object);
      if (!c.success) return ignore('malformed comment');
      if (c.data.from_id === community) return ignore('the community’s own comment');
      if (!c.data.text.trim()) return ignore('no text');
      const owner = c.data.post_owner_id ?? c.data.owner_id ?? community;
      return {
        channel: CHANNEL,
        externalId: `reply:${owner}_${c.data.post_id}_${c.data.id}`,
        threadRef: `wall${owner}_${c.data.post_id}`,
        text: c.data.text,
        sender: { channelUserId: String(c.data.from_id) },
        raw,
        audience: 'public',
        addressedTo,
        ...dated(c.data.date),
      };
    }
    case 'message_new': {
      // Since API 5.103 the message sits in object.message, beside client_info.
      const m = PrivateMessage.safeParse((event.object as { message?: unknown } | undefined)?.message ?? event.object);
      if (!m.success) return ignore('malformed message');
      if (m.data.from_id === community || m.data.out === 1) return ignore('the community’s own message');
      if (!m.data.text.trim()) return ignore('no text');
      return {
        channel: CHANNEL,
        externalId: `msg:${m.data.peer_id}_${m.data.conversation_message_id ?? m.data.id}`,
        threadRef: `peer${m.data.peer_id}`,
        text: m.data.text,
        location: locationOf(m.data.geo),
        sender: { channelUserId: String(m.data.from_id) },
        raw,
        audience: 'direct',
        addressedTo,
        ...dated(m.data.date),
      };
    }
    default:
      return ignore('not an event Qala listens to');
  }
}

function dated(unixSeconds: number | undefined): { receivedAt?: Date } {
  return unixSeconds && unixSeconds > 0 ? { receivedAt: new Date(unixSeconds * 1000) } : {};
}

/** VK geo: {coordinates: {latitude, longitude}} in messages, {coordinates: "lat lon"} on older wall posts. */
function locationOf(geo: unknown): MessageLocation | null {
  const c = (geo as { coordinates?: unknown } | undefined)?.coordinates;
  if (typeof c === 'string') {
    const [lat, lon] = c.split(/\s+/).map(Number);
    return Number.isFinite(lat) && Number.isFinite(lon) ? { lat: lat as number, lon: lon as number } : null;
  }
  const o = c as { latitude?: unknown; longitude?: unknown } | undefined;
  return typeof o?.latitude === 'number' && typeof o?.longitude === 'number' ? { lat: o.latitude, lon: o.longitude } : null;
}
