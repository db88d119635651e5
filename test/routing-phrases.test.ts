// Every phrase the router can put in a ticket's routing trace is said in Kazakh, Russian and English on the web.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const source = ['../src/routing/rules.ts', '../src/routing/stage.ts'].map((f) => readFileSync(new URL(f, import.meta.url), 'utf8')).join('\n');
const keys = [...new Set([...source.matchAll(/\bkey: '([a-z_.]+)'/g)].map((m) => m[1]))];
// The ternaries pick between two keys: both are phrases too.
for (const m of source.matchAll(/\?\s*'([a-z_.]+)'\s*:\s*'([a-z_.]+)'/g)) keys.push(m[1] as string, m[2] as string);

describe('routing trace phrases', () => {
  it('finds the phrases in the router', () => {
    expect(keys).toEqual(expect.arrayContaining(['category', 'decides', 'fallback', 'unsure', 'no.district', 'met.registry', 'default_rule']));
  });

  for (const lang of ['ru', 'kk', 'en']) {
    it(`has every phrase in ${lang}`, async () => {
      const dict = (await import(/* @vite-ignore */ new URL(`../web/lang/${lang}.js`, import.meta.url).href)).default as Record<string, unknown>;
      const missing = keys.filter((k) => typeof dict[`route.${k}`] !== 'string');
      expect(missing).toEqual([]);
    });
  }
});
