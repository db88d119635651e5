// #/polls: the city's open polls for residents. One answer per respondent: a random token made here and kept in
// localStorage identifies this browser to the server (no name, no phone); answering again changes the answer.
// After answering, the results (cells under 5 hidden by the server) are shown under the question.
import { api, errorText } from './api.js';
import { clear, h, say } from './dom.js';
import { formatDateTime, localName, t } from './i18n.js';

const TOKEN_KEY = 'qala.poll.respondent';
const root = () => document.querySelector('#view-polls');
let districts = [];
let shown = false;

/** This browser's respondent token, made once (32 hex digits). */
function respondent() {
  let v = null;
  try {
    v = localStorage.getItem(TOKEN_KEY);
  } catch {
    // private mode: a token for this page only
  }
  if (!v || !/^[A-Za-z0-9_-]{16,128}$/.test(v)) {
    v = crypto.randomUUID().replaceAll('-', '');
    try {
      localStorage.setItem(TOKEN_KEY, v);
    } catch {
      // kept in memory below
    }
    memory = v;
  }
  return memory ?? v;
}
let memory = null;

export async function showPolls() {
  shown = true;
  const el = clear(root());
  el.append(h('h1', { id: 'polls-h', i18n: 'polls.title' }), h('p', { class: 'lead', i18n: 'polls.intro' }));
  const list = h('div', { class: 'polls' }, h('p', { class: 'muted', i18n: 'polls.loading' }));
  el.append(list, h('p', { class: 'hint', i18n: 'polls.device' }));
  try {
    const [open, ref] = await Promise.all([api('/public/polls'), districts.length ? null : api('/districts')]);
    if (ref) districts = ref.districts ?? [];
    clear(list);
    if (!open.polls.length) return list.append(h('p', { class: 'muted', i18n: 'polls.none' }));
    for (const p of open.polls) list.append(await pollCard(p));
  } catch (err) {
    clear(list).append(h('p', { class: 'form-status', role: 'alert', dataset: { kind: 'error' } }, errorText(err)));
  }
}

export function hidePolls() {
  shown = false;
}

export function relocalizePolls() {
  if (shown) showPolls();
}

async function pollCard(p) {
  const id = `poll-${p.id}`;
  const card = h('section', { class: 'card poll', 'aria-labelledby': `${id}-q`, dataset: { poll: p.id } });
  const status = h('p', { class: 'form-status', role: 'status', hidden: true });
  const results = h('div', { class: 'poll-results' });
  let mine = null;
  try {
    const r = await api(`/public/polls/${p.id}/results`, { headers: { 'x-respondent': respondent() } });
    mine = r.mine;
    renderResults(results, r);
  } catch {
    // not answered yet: the results come after the answer
  }
  const options = h(
    'fieldset',
    { class: 'field' },
    h('legend', { id: `${id}-q` }, localName(p.question)),
    ...p.options.map((o) =>
      h(
        'div',
        { class: 'field check' },
        h('input', { type: 'radio', id: `${id}-o${o.id}`, name: `${id}-option`, value: o.id, checked: mine?.option === o.id }),
        h('label', { for: `${id}-o${o.id}` }, localName(o.label)),
      ),
    ),
  );
  const district = p.ask_district
    ? h(
        'div',
        { class: 'field' },
        h('label', { for: `${id}-district`, i18n: 'polls.district' }),
        h(
          'select',
          { id: `${id}-district`, name: 'district', 'aria-describedby': `${id}-district-hint` },
          h('option', { value: '', i18n: 'polls.district.none' }),
          ...districts.map((d) => h('option', { value: d.id, selected: mine?.district === d.id }, localName(d.name))),
        ),
        h('p', { id: `${id}-district-hint`, class: 'hint', i18n: 'polls.district.hint' }),
      )
    : null;
  const form = h(
    'form',
    { novalidate: true },
    options,
    district,
    p.closes_at ? h('p', { class: 'hint' }, t('polls.closes', { when: formatDateTime(p.closes_at) })) : null,
    status,
    h('button', { type: 'submit', class: 'primary', i18n: mine ? 'polls.change' : 'polls.submit' }),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const option = form.querySelector(`input[name="${id}-option"]:checked`)?.value;
    if (!option) return say(status, t('polls.pick'), 'error');
    const d = form.querySelector('select[name="district"]')?.value || null;
    try {
      const r = await api(`/public/polls/${p.id}/answers`, { body: { option, district: d, respondent: respondent() } });
      say(status, t('polls.thanks'), 'success');
      form.querySelector('button[type="submit"]').textContent = t('polls.change');
      renderResults(results, { ...r.results, mine: { option }, poll: p });
    } catch (err) {
      say(status, errorText(err), 'error');
    }
  });
  card.append(form, results);
  return card;
}

/** The public results: per option the weighted share and its interval, or "hidden" for a small cell. */
function renderResults(el, r) {
  clear(el);
  el.append(h('h3', { i18n: 'polls.results' }));
  if (!r.enough) return el.append(h('p', { class: 'muted', i18n: 'polls.results.few' }));
  el.append(h('p', { class: 'muted' }, t('polls.results.n', { n: r.n })));
  const pct = (x) => Math.round(x * 100);
  const list = h('ul', { class: 'poll-bars' });
  for (const o of r.options) {
    const name = localName(o.label);
    const mineMark = r.mine?.option === o.id ? ' ✓' : '';
    list.append(
      h(
        'li',
        {},
        h('span', { class: 'poll-option' }, name + mineMark),
        ' ',
        o.share === null
          ? h('span', { class: 'muted' }, t('polls.results.hidden'))
          : [
              h('progress', { max: 100, value: pct(o.share), 'aria-label': name }),
              ' ',
              h('span', {}, t('polls.results.share', { share: pct(o.share), low: pct(o.ci[0]), high: pct(o.ci[1]) })),
            ],
      ),
    );
  }
  el.append(list, h('p', { class: 'hint', i18n: 'polls.results.note' }));
}
