// HTML → plain text for appeals that arrive from portals and e-mail: the text of elements kept, block boundaries
// turned into line breaks, script/style/head-metadata dropped, entities decoded. Written as scans and bounded
// regular expressions so a 50 kB body or a broken tag cannot make it slow.
import { decodeEntities } from './entities.js';

// Elements whose content is not text a resident wrote.
const DROPPED = ['script', 'style', 'noscript', 'template', 'svg', 'xml', 'object'];
const BLOCK = new Set([
  'br',
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'tr',
  'table',
  'tbody',
  'thead',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'blockquote',
  'pre',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'nav',
  'aside',
  'address',
  'dd',
  'dt',
  'dl',
  'form',
  'fieldset',
  'figure',
  'figcaption',
  'title',
  'body',
  'html',
  'center',
  'details',
  'summary',
]);
const CELL = new Set(['td', 'th']);
// A tag: a name, then attributes whose quoted values may hold ">"; stops at the next "<" so junk stays linear.
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]{0,30})(?:[^<>"']|"[^"]{0,4000}"|'[^']{0,4000}')*>/g;

/** Does this text look like HTML (a tag or an entity)? Cheap, so plain messages skip the HTML path. */
export function looksLikeHtml(text: string): boolean {
  return /<\/?[a-zA-Z][^<>]{0,400}>|&(?:#\d+|#x[0-9a-f]+|[a-z]{2,8});/i.test(text);
}

function dropElements(html: string): string {
  let out = html;
  let lower = out.toLowerCase(); // of `out` as it is now: recomputed only when an element was dropped
  for (const name of DROPPED) {
    if (!lower.includes(`<${name}`)) continue;
    let result = '';
    let at = 0;
    for (;;) {
      const open = lower.indexOf(`<${name}`, at);
      if (open < 0) break;
      const after = lower.charAt(open + name.length + 1);
      if (after !== '>' && after !== ' ' && after !== '\t' && after !== '\n' && after !== '/' && after !== '\r') {
        result += out.slice(at, open + 1);
        at = open + 1;
        continue;
      }
      const close = lower.indexOf(`</${name}`, open);
      result += `${out.slice(at, open)} `;
      if (close < 0) {
        at = out.length; // an unclosed <script> swallows the rest, as in a browser
        break;
      }
      const end = lower.indexOf('>', close);
      at = end < 0 ? out.length : end + 1;
    }
    out = result + out.slice(at);
    lower = out.toLowerCase();
  }
  return out;
}

/**
 * Plain text of an HTML fragment or document for display: tags removed, line breaks where blocks end, entities
 * decoded, runs of spaces collapsed, at most one blank line. Text without markup comes back with only entities
 * decoded and whitespace tidied.
 */
export function stripHtml(html: string): string {
  let t = html;
  if (t.includes('<!') || t.includes('<?')) {
    t = t.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ').replace(/<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)/g, '$1');
    t = t.replace(/<![^<>]{0,4000}>|<\?[^<>]{0,4000}>/g, ' '); // doctype, processing instructions
  }
  t = dropElements(t);
  t = t.replace(TAG, (_m, _slash: string, name: string) => {
    const n = name.toLowerCase();
    if (BLOCK.has(n)) return '\n';
    if (CELL.has(n)) return '\t';
    return n === 'img' ? ' ' : '';
  });
  t = decodeEntities(t);
  return t
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
