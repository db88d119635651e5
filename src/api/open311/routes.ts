// Open311 GeoReport v2 under /open311: discovery, services, service definitions, requests (POST and GET),
// one request, and tokens; JSON or XML by suffix. Public GET answers carry no personal data.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fromForm, Open311Post, open311ToInbound } from '../../channels/open311.js';
import type { Context } from '../../context.js';
import { fileAppeal } from '../../pipeline.js';
import { OPEN_STATUSES, STATUSES } from '../../tickets/lifecycle.js';
import { listTickets, publicTexts, ticketNumberForMessage } from '../../tickets/repository.js';
import { type Format, Open311Error, send, sendError } from './format.js';
import { presentRequest, presentService, serviceDefinition } from './presenters.js';

const FORMATS = new Set(['json', 'xml']);
const DAY = 86_400_000;

function format(req: FastifyRequest): Format {
  const f = (req.params as { format?: string }).format;
  if (!f || !FORMATS.has(f)) throw new Open311Error(404, `unknown format "${f}": use .json or .xml`);
  return f as Format;
}

function firstError(issues: { path: PropertyKey[]; message: string }[]) {
  const i = issues[0];
  return i ? `${i.path.join('.') || 'request'}: ${i.message}` : 'invalid request';
}

export const open311Routes = (ctx: Context) => async (app: FastifyInstance) => {
  const city = ctx.city;
  const lang = city.city.default_language;
  // Open311 documents itself (discovery, service list): keep it out of the native API's OpenAPI document.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const f = (req.params as { format?: string })?.format === 'xml' ? 'xml' : 'json';
    if (err instanceof Open311Error) return sendError(reply, f, err.status, err.message);
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'open311 error');
    return sendError(reply, f, status, status === 500 ? 'internal error' : err.message);
  });
  const noSuchEndpoint = (req: FastifyRequest, reply: FastifyReply) =>
    sendError(reply, req.url.includes('.xml') ? 'xml' : 'json', 404, 'no such endpoint');
  app.setNotFoundHandler(noSuchEndpoint);
  // The static files' catch-all would otherwise answer unknown /open311 paths in the native API's error shape.
  app.all('/*', noSuchEndpoint);
  const checkJurisdiction = (req: FastifyRequest) => {
    const j = (req.query as { jurisdiction_id?: string }).jurisdiction_id ?? (req.body as { jurisdiction_id?: string } | undefined)?.jurisdiction_id;
    if (j && j !== city.city.id) throw new Open311Error(404, `jurisdiction_id ${j} not found (this server serves "${city.city.id}")`);
  };
  const publicLimit = { rateLimit: { max: ctx.settings.PUBLIC_RATE_LIMIT * 4, timeWindow: '1 minute' } };

  app.get('/discovery.:format', async (req, reply) => {
    const base = `${req.protocol}://${req.host}/open311/v2/`;
    const doc = {
      changeset: '2026-11-25T00:00:00+05:00',
      contact: `${city.city.name.en} centre of monitoring and operational response`,
      key_service: 'Ask the city administrator for an api_key (setting OPEN311_API_KEYS).',
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: base,
          changeset: '2026-11-25T00:00:00+05:00',
          type: 'production',
          formats: ['application/json', 'text/xml'],
        },
      ],
    };
    const f = format(req);
    return f === 'json'
      ? reply.send(doc)
      : send(reply, 'xml', 200, 'discovery', null, {
          ...doc,
          endpoints: { endpoint: doc.endpoints.map((e) => ({ ...e, formats: { format: e.formats } })) },
        });
  });

  app.get('/v2/services.:format', { config: publicLimit }, async (req, reply) => {
    const f = format(req);
    checkJurisdiction(req);
    return send(
      reply,
      f,
      200,
      'services',
      'service',
      city.categories.map((c) => presentService(c, lang)),
    );
  });

  app.get('/v2/services/:code.:format', { config: publicLimit }, async (req, reply) => {
    const f = format(req);
    checkJurisdiction(req);
    const code = (req.params as { code: string }).code;
    const c = city.categories.find((x) => x.code === code);
    if (!c) throw new Open311Error(404, `service_code ${code} not found`);
    const def = serviceDefinition(c.code, lang);
    // XML names each list item: attributes/attribute, values/value.
    const xmlDef = { ...def, attributes: { attribute: def.attributes.map((a) => ({ ...a, values: { value: a.values } })) } };
    return send(reply, f, 200, 'service_definition', null, f === 'json' ? def : xmlDef);
  });

  app.post('/v2/requests.:format', { config: publicLimit }, async (req: FastifyRequest, reply: FastifyReply) => {
    const f = format(req);
    const body = fromForm(req.body);
    const parsed = Open311Post.safeParse(body);
    if (typeof body.api_key !== 'string' || !ctx.settings.OPEN311_API_KEYS.includes(body.api_key))
      throw new Open311Error(403, 'api_key is missing or not valid');
    if (!parsed.success) throw new Open311Error(400, firstError(parsed.error.issues));
    const p = parsed.data;
    checkJurisdiction(req);
    const c = city.categories.find((x) => x.code === p.service_code);
    if (!c) throw new Open311Error(404, `service_code ${p.service_code} not found`);
    if ((p.lat === undefined) !== (p.long === undefined)) throw new Open311Error(400, 'lat and long must be given together');
    if (p.lat === undefined && !p.address_string && !p.address_id)
      throw new Open311Error(400, 'a location is required: lat and long, address_string or address_id');
    const inbound = open311ToInbound(p, c.name[lang]);
    const filed = await fileAppeal(ctx, inbound);
    const t = filed.ticket;
    const token = inbound.externalId;
    const notice = t ? `${t.number}: ${c.name[lang]}` : 'received; the number follows';
    return send(reply, f, 201, 'service_requests', 'request', [
      { service_request_id: t?.number ?? null, token, service_notice: notice, account_id: p.account_id ?? null },
    ]);
  });

  app.get('/v2/requests.:format', { config: publicLimit }, async (req, reply) => {
    const f = format(req);
    checkJurisdiction(req);
    // An empty parameter is the same as one not sent (the standard's "optional arguments").
    const q: Record<string, string | undefined> = Object.fromEntries(Object.entries(req.query as Record<string, string>).filter(([, v]) => v !== ''));
    const date = (name: string) => {
      const v = q[name];
      if (v === undefined) return undefined;
      const d = new Date(v);
      if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(v)) throw new Open311Error(400, `${name} must be a W3C date-time`);
      return d;
    };
    const listed = q.service_request_id
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const ids = listed?.length ? listed : undefined;
    const status = q.status?.split(',').map((s) => s.trim());
    if (status?.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error(400, 'status must be open or closed');
    let end = date('end_date');
    let start = date('start_date');
    // The standard's defaults: the last 90 days, at most 1000 requests; a range may not span more than 90 days;
    // explicit ids override all other arguments.
    if (!ids) {
      end ??= start ? new Date(Math.min(start.getTime() + 90 * DAY, Date.now())) : new Date();
      start ??= new Date(Math.min(end.getTime(), Date.now()) - 90 * DAY);
      if (start > end) throw new Open311Error(400, 'start_date is after end_date');
      if (end.getTime() - start.getTime() > 90 * DAY) throw new Open311Error(400, 'start_date to end_date may not span more than 90 days');
    }
    const limit = Math.min(1000, Math.max(1, Number(q.page_size ?? 1000) || 1000));
    const page = Math.max(1, Number(q.page ?? 1) || 1);
    const rows = await listTickets(ctx.db, {
      numbers: ids,
      categories: ids ? undefined : q.service_code?.split(',').map((s) => s.trim()),
      status: status && !ids ? STATUSES.filter((s) => status.includes(OPEN_STATUSES.has(s) ? 'open' : 'closed')) : undefined,
      createdFrom: ids ? undefined : start,
      createdTo: ids ? undefined : end,
      limit,
      offset: (page - 1) * limit,
    });
    const texts = await publicTexts(ctx.db, rows);
    const items = rows.map((t) => presentRequest(city, t, texts.get(t.id), lang));
    return send(reply, f, 200, 'service_requests', 'request', items);
  });

  app.get('/v2/requests/:id.:format', { config: publicLimit }, async (req, reply) => {
    const f = format(req);
    checkJurisdiction(req);
    const id = (req.params as { id: string }).id;
    const [t] = await listTickets(ctx.db, { numbers: [id], limit: 1, offset: 0 });
    if (!t) throw new Open311Error(404, `service_request_id ${id} not found`);
    const texts = await publicTexts(ctx.db, [t]);
    return send(reply, f, 200, 'service_requests', 'request', [presentRequest(city, t, texts.get(t.id), lang)]);
  });

  app.get('/v2/tokens/:token.:format', { config: publicLimit }, async (req, reply) => {
    const f = format(req);
    checkJurisdiction(req);
    const token = (req.params as { token: string }).token;
    const number = await ticketNumberForMessage(ctx.db, 'open311', token);
    if (number === undefined) throw new Open311Error(404, `token ${token} not found`);
    return send(reply, f, 200, 'service_requests', 'request', [{ service_request_id: number, token }]);
  });
};
