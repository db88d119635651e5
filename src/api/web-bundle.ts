// The web app as users get it: web/ bundled by esbuild into content-hashed, minified, code-split files.
// Built on demand at server start (and by `npm run build:web`) into .build/web/<source hash>/, so a fresh clone
// needs no separate build step and the test harness serves exactly what `npm start` serves.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

export const WEB_SOURCE = fileURLToPath(new URL('../../web/', import.meta.url));
export const WEB_BUILD_ROOT = fileURLToPath(new URL('../../.build/web/', import.meta.url));

/** Names carrying a content hash never change content, so browsers may keep them for a year. */
export const HASHED_NAME = /-[A-Z0-9]{8}\.(js|css)(\.map)?$/;

/** Entry points besides app.js. i18n.js keeps a stable name (a re-export) for tests that read the dictionaries. */
const STABLE_ENTRIES = ['i18n'];

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

/** A hash of every source file's name and content (and esbuild's version): same sources, same build. */
async function sourceKey(source: string): Promise<string> {
  const h = createHash('sha256').update(esbuild.version);
  for (const f of await listFiles(source))
    h.update(relative(source, f))
      .update('\0')
      .update(await readFile(f))
      .update('\0');
  return h.digest('hex').slice(0, 16);
}

const shortHash = (data: string | Buffer) => createHash('sha256').update(data).digest('hex').slice(0, 8).toUpperCase();

/** Builds web/ into `out`: JS bundle and chunks, hashed CSS, the other files copied, index.html rewritten. */
export async function buildWeb(source: string, out: string): Promise<void> {
  let html = await readFile(join(source, 'index.html'), 'utf8');
  const result = await esbuild.build({
    entryPoints: Object.fromEntries(['app', ...STABLE_ENTRIES].map((n) => [n, join(source, `${n}.js`)])),
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    sourcemap: 'linked',
    target: 'es2022',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    outdir: out,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const entryOut = new Map<string, string>();
  for (const [file, meta] of Object.entries(result.metafile.outputs)) {
    if (meta.entryPoint) entryOut.set(meta.entryPoint.replace(/^.*\//, '').replace(/\.js$/, ''), relative(out, file).split(sep).join('/'));
  }
  const app = entryOut.get('app');
  if (!app) throw new Error('web build: no output for app.js');
  for (const n of STABLE_ENTRIES) await writeFile(join(out, `${n}.js`), `export * from './${entryOut.get(n)}';\n`);

  // Every other file (CSS, images, a vendored asset) is copied as it is, so a screen may still link it by name.
  for (const f of await listFiles(source)) {
    const rel = relative(source, f);
    if (rel.endsWith('.js') || rel === 'index.html') continue;
    await mkdir(dirname(join(out, rel)), { recursive: true });
    await copyFile(f, join(out, rel));
  }
  // The page's own stylesheets: minified under hashed names.
  const links = [...html.matchAll(/<link rel="stylesheet" href="([^"]+\.css)">/g)].map((m) => m[1] as string);
  for (const href of links) {
    const css = await esbuild.transform(await readFile(join(source, href), 'utf8'), { loader: 'css', minify: true });
    const name = href.replace(/\.css$/, `-${shortHash(css.code)}.css`);
    await writeFile(join(out, name), css.code);
    html = html.replace(`href="${href}"`, `href="${name}"`);
  }
  const script = /<script type="module" src="app\.js"><\/script>/;
  if (!script.test(html)) throw new Error('web build: index.html has no <script type="module" src="app.js">');
  html = html.replace(script, `<script type="module" src="${app}"></script>`);
  await writeFile(join(out, 'index.html'), html);
}

/** The files of a build with their sizes in bytes, source maps left out (for docs/web.md and the CLI). */
export async function buildFiles(dir: string): Promise<{ file: string; bytes: number }[]> {
  const files = (await listFiles(dir)).filter((f) => !f.endsWith('.map'));
  return Promise.all(files.map(async (f) => ({ file: relative(dir, f).split(sep).join('/'), bytes: (await stat(f)).size })));
}

/**
 * The directory of the current build, building it first when the sources changed. Several processes may start at
 * once (parallel test files): each builds into a private directory and renames it into place; a loser of that race
 * uses the winner's build.
 */
export async function webBundle(source = WEB_SOURCE, root = WEB_BUILD_ROOT): Promise<string> {
  const dir = join(root, await sourceKey(source));
  if (existsSync(join(dir, 'index.html'))) return dir;
  await mkdir(root, { recursive: true });
  const tmp = join(root, `tmp-${randomBytes(6).toString('hex')}`);
  try {
    await buildWeb(source, tmp);
    await rename(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, 'index.html'))) throw err;
  }
  await prune(root, dir);
  return dir;
}

/** Old builds go after a day (a running server may still be serving one), abandoned temporary ones after an hour. */
async function prune(root: string, keep: string): Promise<void> {
  const now = Date.now();
  for (const e of await readdir(root, { withFileTypes: true })) {
    const p = join(root, e.name);
    if (!e.isDirectory() || p === keep) continue;
    const age = now - (await stat(p).catch(() => ({ mtimeMs: now }))).mtimeMs;
    if (age > (e.name.startsWith('tmp-') ? 3_600_000 : 86_400_000)) await rm(p, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = await webBundle();
  process.stdout.write(`${relative(process.cwd(), dir)}\n`);
  for (const { file, bytes } of await buildFiles(dir)) process.stdout.write(`${String(bytes).padStart(8)}  ${file}\n`);
}
