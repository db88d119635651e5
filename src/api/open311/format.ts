// Open311 GeoReport v2 wire format: the same data as JSON or XML, chosen by the URL's suffix, and errors as a
// list of { code, description }.

import { XMLBuilder } from 'fast-xml-parser';
import type { FastifyReply } from 'fastify';

export type Format = 'json' | 'xml';

const xml = new XMLBuilder({ format: true, suppressEmptyNode: false, processEntities: true });

/** Wraps a list in the standard's XML element names, e.g. services/service, service_requests/request. */
export function send(reply: FastifyReply, format: Format, status: number, root: string, item: string | null, data: unknown) {
  if (format === 'json') return reply.status(status).type('application/json; charset=utf-8').send(data);
  const body = item ? { [root]: { [item]: data } } : { [root]: data };
  return reply
    .status(status)
    .type('text/xml; charset=utf-8')
    .send(`<?xml version="1.0" encoding="utf-8"?>\n${xml.build(nullsToEmpty(body))}`);
}

export function sendError(reply: FastifyReply, format: Format, status: number, description: string) {
  return send(reply, format, status, 'errors', 'error', [{ code: status, description }]);
}

/** XML has no null: an absent value is an empty element. */
function nullsToEmpty(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(nullsToEmpty);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, nullsToEmpty(x)]));
  return v;
}

export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}
