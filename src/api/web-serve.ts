// How the web app is served: the built bundle (or web/ itself with QALA_WEB_DEV=1), its cache headers, and the
// Content-Security-Policy that keeps every request of the page on this machine.
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../context.js';
import { HASHED_NAME, WEB_SOURCE, webBundle } from './web-bundle.js';

/** Hashed files never change; everything else (index.html first of all) is revalidated on each load. */
export function cacheControl(path: string): string {
  return HASHED_NAME.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * The CSP source for a map tile URL template such as https://{s}.tile.example.org/{z}/{x}/{y}.png: its origin, with
 * a {placeholder} label turned into the wildcard CSP allows there.
 */
export function tileSource(template: string | undefined): string | null {
  const m = template ? /^(https?:)\/\/([^/?#]+)/.exec(template) : null;
  if (!m) return null;
  const host = (m[2] as string).replace(/^\{[^}]*\}\./, '*.');
  return /[{}]/.test(host) ? null : `${m[1]}//${host}`;
}

/**
 * Only this server is reached: scripts, styles, fonts, fetch/EventSource all 'self'. Images also from data: and
 * blob: (photo previews) and, when QALA_MAP_TILE_URL is set, from that tile server alone.
 */
export function cspDirectives(tileUrl?: string) {
  const tiles = tileSource(tileUrl);
  return {
    defaultSrc: ["'self'"],
    connectSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'blob:', ...(tiles ? [tiles] : [])],
    fontSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    scriptSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'self'"],
    // TLS belongs to the reverse proxy: over plain HTTP on a LAN address this would send the browser nowhere.
    upgradeInsecureRequests: null,
  };
}

/** The map tile setting, whichever shape the settings have today (it is optional). */
export function tileUrlOf(ctx: Context): string | undefined {
  const v = (ctx.settings as unknown as Record<string, unknown>).QALA_MAP_TILE_URL;
  return typeof v === 'string' && v ? v : undefined;
}

export function webDevMode(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.QALA_WEB_DEV === '1' || env.QALA_WEB_DEV === 'true';
}

/** Registers the page's files at /. Resolved (and built when stale) before the server listens. */
export async function serveWeb(app: FastifyInstance): Promise<string> {
  const root = webDevMode() ? WEB_SOURCE : await webBundle();
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: 'index.html',
    cacheControl: false,
    setHeaders: (reply, path) => reply.header('cache-control', webDevMode() ? 'no-cache' : cacheControl(path)),
  });
  return root;
}
