// The built web app: esbuild splits dynamic imports into chunks of their own, the centre serves the built files with
// the right cache headers, and the Content-Security-Policy keeps every request on this machine.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, webBundle } from '../src/api/web-bundle.js';
import { cspDirectives, tileSource } from '../src/api/web-serve.js';
import type { Settings } from '../src/settings.js';
import { startTestCentre, type TestCentre } from './centre.js';

describe('the web build', () => {
  let src: string;
  beforeAll(async () => {
    src = await mkdtemp(join(tmpdir(), 'qala-web-'));
    await writeFile(join(src, 'index.html'), '<!doctype html><link rel="stylesheet" href="style.css">\n<script type="module" src="app.js"></script>');
    await writeFile(join(src, 'style.css'), 'body {  color: #111;  }\n');
    await writeFile(join(src, 'i18n.js'), 'export const t = (k) => k;\n');
    await writeFile(join(src, 'app.js'), "import { t } from './i18n.js';\ndocument.title = t('x');\nexport const open = () => import('./map.js');\n");
    await writeFile(join(src, 'map.js'), "export const drawMapWithTiles = () => 'the-lazy-map-module';\n");
  });
  afterAll(() => rm(src, { recursive: true, force: true }));

  it('puts a dynamically imported module in a chunk of its own, with hashed names and a rewritten page', async () => {
    const out = await mkdtemp(join(tmpdir(), 'qala-web-out-'));
    await buildWeb(src, out);
    const top = await readdir(out);
    const chunks = await readdir(join(out, 'chunks'));
    const html = await readFile(join(out, 'index.html'), 'utf8');
    const app = (html.match(/src="(app-[A-Z0-9]{8}\.js)"/) ?? [])[1] as string;
    expect(app).toBeTruthy();
    expect(html).toMatch(/href="style-[A-Z0-9]{8}\.css"/);
    expect(top).toContain(`${app}.map`);
    const lazy = chunks.find((f) => /^map-[A-Z0-9]{8}\.js$/.test(f)) as string;
    expect(lazy).toBeTruthy();
    expect(await readFile(join(out, 'chunks', lazy), 'utf8')).toContain('the-lazy-map-module');
    expect(await readFile(join(out, app), 'utf8')).not.toContain('the-lazy-map-module');
    await rm(out, { recursive: true, force: true });
  });

  it('builds once per version of the sources, even when several processes ask at once', async () => {
    const root = await mkdtemp(join(tmpdir(), 'qala-web-root-'));
    const dirs = await Promise.all([webBundle(src, root), webBundle(src, root), webBundle(src, root)]);
    expect(new Set(dirs).size).toBe(1);
    expect((await readdir(root)).filter((d) => d.startsWith('tmp-'))).toEqual([]);
    await mkdir(join(src, 'img'), { recursive: true });
    await writeFile(join(src, 'img', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const next = await webBundle(src, root);
    expect(next).not.toBe(dirs[0]);
    expect(await readFile(join(next, 'img', 'logo.svg'), 'utf8')).toContain('<svg');
    await rm(root, { recursive: true, force: true });
  });

  it('allows a map tile server in img-src only, and only when one is set', () => {
    expect(tileSource('https://{s}.tile.example.org/{z}/{x}/{y}.png')).toBe('https://*.tile.example.org');
    expect(tileSource('http://10.0.0.5:8081/tiles/{z}/{x}/{y}.png')).toBe('http://10.0.0.5:8081');
    expect(tileSource(undefined)).toBeNull();
    const off = cspDirectives();
    expect(off.imgSrc).toEqual(["'self'", 'data:', 'blob:']);
    const on = cspDirectives('https://tiles.example.org/{z}/{x}/{y}.png');
    expect(on.imgSrc).toContain('https://tiles.example.org');
    expect(on.connectSrc).toEqual(["'self'"]);
    expect(on.scriptSrc).toEqual(["'self'"]);
  });
});

describe('the centre serves the built web app', () => {
  let centre: TestCentre;
  beforeAll(async () => {
    centre = await startTestCentre({ QALA_MAP_TILE_URL: 'https://tiles.example.org/{z}/{x}/{y}.png' } as Partial<Settings>, { demo: false });
  }, 120_000);
  afterAll(() => centre?.close());

  it('answers the page with no-cache and hashed files with a year of immutable cache', async () => {
    const page = await centre.api('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const app = (page.text.match(/src="(app-[A-Z0-9]{8}\.js)"/) ?? [])[1];
    expect(app).toBeTruthy();
    const js = await centre.api(`/${app}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = (page.text.match(/href="(style-[A-Z0-9]{8}\.css)"/) ?? [])[1];
    expect((await centre.api(`/${css}`)).headers.get('cache-control')).toContain('immutable');
  });

  it('sends a policy under which the page reaches nothing but this server (and the tile server for images)', async () => {
    const csp = (await centre.api('/')).headers.get('content-security-policy') ?? '';
    const directive = (name: string) =>
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `));
    expect(directive('default-src')).toBe("default-src 'self'");
    expect(directive('connect-src')).toBe("connect-src 'self'");
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(directive('font-src')).toBe("font-src 'self'");
    expect(directive('img-src')).toBe("img-src 'self' data: blob: https://tiles.example.org");
  });
});
