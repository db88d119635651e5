// No visible text outside the translation files: scans web/**/*.js (parsed with TypeScript's parser, so only real
// string literals in the places that become text count) and web/index.html, and names every literal by file:line.
// Nothing is allow-listed by file: what is not language (digits, punctuation, symbols) never contains a letter.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const WEB = new URL('../web/', import.meta.url).pathname;
/** Dictionaries hold the text; i18n.js's language self-names (Қазақша, Русский, English) are there on purpose. */
const DICTIONARY = /^lang\//;
const LETTER = /\p{L}/u;
/** Attributes a person reads or hears. */
const SPOKEN_ATTRS = new Set(['placeholder', 'aria-label', 'title', 'alt', 'label', 'aria-description', 'aria-roledescription']);
/** Properties and calls that put their string on the screen. */
const TEXT_PROPS = new Set(['textContent', 'innerText', 'innerHTML', 'placeholder', 'title', 'alt', 'ariaLabel', 'label']);
const TEXT_CALLS = new Set(['createTextNode', 'append', 'prepend', 'replaceChildren', 'say', 'alert', 'confirm', 'prompt']);

function files(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : [],
  );
}

/** The literal text pieces an expression can evaluate to, through ?:, +, ??, ||, templates and arrays (not calls). */
function literals(node: ts.Node): ts.Node[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node];
  if (ts.isTemplateExpression(node)) return [node.head, ...node.templateSpans.map((s) => s.literal)];
  if (ts.isParenthesizedExpression(node)) return literals(node.expression);
  if (ts.isConditionalExpression(node)) return [...literals(node.whenTrue), ...literals(node.whenFalse)];
  if (
    ts.isBinaryExpression(node) &&
    [ts.SyntaxKind.PlusToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(node.operatorToken.kind)
  )
    return [...literals(node.left), ...literals(node.right)];
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap(literals);
  return [];
}

const textOf = (n: ts.Node) => (n as ts.LiteralLikeNode).text ?? '';
const nameOf = (n: ts.PropertyName | ts.MemberName) => (ts.isIdentifier(n) || ts.isStringLiteral(n) ? n.text : '');

/** Violations in one JS file: `file:line: "text" (where)`. */
export function scanScript(file: string, source: string): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const out: string[] = [];
  const flag = (nodes: ts.Node[], where: string) => {
    for (const n of nodes) {
      const text = textOf(n);
      if (!LETTER.test(text)) continue;
      const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
      out.push(`${file}:${line}: ${JSON.stringify(text.trim())} (${where})`);
    }
  };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const fn = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (fn === 'h') {
        const props = node.arguments[1];
        if (props && ts.isObjectLiteralExpression(props))
          for (const p of props.properties)
            if (ts.isPropertyAssignment(p) && (SPOKEN_ATTRS.has(nameOf(p.name)) || TEXT_PROPS.has(nameOf(p.name))))
              flag(literals(p.initializer), `h() ${nameOf(p.name)}`);
        flag(node.arguments.slice(2).flatMap(literals), 'h() child');
      } else if (TEXT_CALLS.has(fn)) {
        flag(node.arguments.slice(fn === 'say' ? 1 : 0, fn === 'say' ? 2 : undefined).flatMap(literals), `${fn}()`);
      } else if (fn === 'setAttribute' && node.arguments[0] && SPOKEN_ATTRS.has(textOf(node.arguments[0]))) {
        flag(literals(node.arguments[1] as ts.Node), `setAttribute ${textOf(node.arguments[0])}`);
      }
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
      const prop = node.left.name.text;
      if (TEXT_PROPS.has(prop)) flag(literals(node.right), `.${prop} =`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Violations in an HTML file: text not filled by data-i18n, and spoken attributes with literal text. */
export function scanHtml(file: string, source: string): string[] {
  const out: string[] = [];
  const lineAt = (i: number) => source.slice(0, i).split('\n').length;
  const blanked = source.replace(/<!--[\s\S]*?-->|<(script|style)\b[\s\S]*?<\/\1>/g, (m) => m.replace(/[^\n]/g, ' '));
  for (const m of blanked.matchAll(/<([a-z0-9-]+)([^>]*)>([^<]*)/gi)) {
    const [, , attrs = '', text = ''] = m;
    if (LETTER.test(text) && !/\sdata-i18n=/.test(attrs))
      out.push(`${file}:${lineAt(m.index + m[0].indexOf(text))}: ${JSON.stringify(text.trim())} (text)`);
    for (const a of attrs.matchAll(/\s([a-z-]+)="([^"]*)"/gi)) {
      if (SPOKEN_ATTRS.has(a[1] as string) && LETTER.test(a[2] as string)) out.push(`${file}:${lineAt(m.index)}: ${JSON.stringify(a[2])} (${a[1]})`);
    }
  }
  return out;
}

describe('no visible text outside the translation files', () => {
  it('finds literals where the scanner looks (so an empty result means something)', () => {
    const js =
      "h('p', { title: 'Hello' }, 'Привет', n, ` км`);\nel.textContent = ok ? 'Done' : t('x');\nsay(s, 'Сәлем');\nh('p', {}, ' · ', t('k'), String(n));";
    expect(scanScript('x.js', js)).toEqual([
      'x.js:1: "Hello" (h() title)',
      'x.js:1: "Привет" (h() child)',
      'x.js:1: "км" (h() child)',
      'x.js:2: "Done" (.textContent =)',
      'x.js:3: "Сәлем" (say())',
    ]);
    const html = '<p data-i18n="k"></p>\n<p>Текст</p><input placeholder="Поиск"><!-- a comment --><b> · 5 </b>';
    expect(scanHtml('x.html', html)).toEqual(['x.html:2: "Текст" (text)', 'x.html:2: "Поиск" (placeholder)']);
  });

  it('has none in web/**/*.js and web/index.html', () => {
    const found: string[] = [];
    for (const f of files(WEB, '.js')) {
      const rel = relative(WEB, f);
      if (DICTIONARY.test(rel)) continue;
      found.push(...scanScript(`web/${rel}`, readFileSync(f, 'utf8')));
    }
    for (const f of files(WEB, '.html')) found.push(...scanHtml(`web/${relative(WEB, f)}`, readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });
});
