// #/analytics/opinion: opinion on a question. The analyst asks a question (title, keywords, example posts per stance),
// sees the share of each stance raw and weighted to the city's population with 95% intervals (bars with error bars),
// the caveat, the weekly trend and quotes, corrects a quote's stance, and downloads the aggregate CSV.
import { api, errorText, session } from './api.js';
import { lineChart, PALETTE } from './charts.js';
import { clear, h, say } from './dom.js';
import { lang, t } from './i18n.js';

const STANCES = ['for', 'against', 'neutral'];
const state = { container: null, questions: [], id: null, data: null };
const pct = (x) => `${(x * 100).toFixed(1)}%`;
const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Horizontal bars per stance, raw and weighted, each with its 95% interval as an error bar; a table for readers. */
function intervalChart(estimate) {
  const W = 560;
  const rowH = 26;
  const left = 250;
  const right = 20;
  const rows = STANCES.flatMap((s) => [
    { s, kind: 'raw', v: estimate.answers[s].raw },
    { s, kind: 'weighted', v: estimate.answers[s].weighted },
  ]);
  const H = rows.length * rowH + 24;
  const x = (p) => left + p * (W - left - right);
  const el = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', 'aria-hidden': 'true', focusable: 'false' });
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    el.append(svg('line', { x1: x(f), x2: x(f), y1: 0, y2: H - 18, class: 'chart-grid' }));
    el.append(svg('text', { x: x(f), y: H - 4, 'text-anchor': 'middle', class: 'chart-tick' }, `${f * 100}%`));
  }
  rows.forEach((r, i) => {
    const y = i * rowH + 4;
    const mid = y + (rowH - 8) / 2;
    el.append(
      svg(
        'text',
        { x: left - 8, y: y + rowH * 0.6, 'text-anchor': 'end', class: 'chart-label' },
        `${t(`opinion.stance.${r.s}`)} · ${t(`opinion.${r.kind}`)}`,
      ),
    );
    el.append(
      svg('rect', {
        x: left,
        y,
        width: Math.max(1, x(r.v.share) - left),
        height: rowH - 8,
        rx: 3,
        fill: PALETTE[STANCES.indexOf(r.s)],
        opacity: r.kind === 'raw' ? 0.45 : 1,
      }),
    );
    el.append(svg('line', { x1: x(r.v.ci[0]), x2: x(r.v.ci[1]), y1: mid, y2: mid, stroke: '#222', 'stroke-width': 1.5 }));
    for (const e of r.v.ci) el.append(svg('line', { x1: x(e), x2: x(e), y1: mid - 6, y2: mid + 6, stroke: '#222', 'stroke-width': 1.5 }));
  });
  const table = h(
    'table',
    { class: 'visually-hidden' },
    h('caption', {}, t('opinion.chart')),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, `${t(`opinion.stance.${r.s}`)} · ${t(`opinion.${r.kind}`)}`),
          h('td', {}, `${pct(r.v.share)} (${pct(r.v.ci[0])}–${pct(r.v.ci[1])})`),
        ),
      ),
    ),
  );
  return h('figure', { class: 'chart-figure' }, h('figcaption', {}, t('opinion.chart')), el, table);
}

function askForm() {
  const field = (key, name, multi = false) =>
    h('label', { class: 'field' }, h('span', {}, t(key)), multi ? h('textarea', { name, rows: 3 }) : h('input', { name, type: 'text' }));
  const note = h('p', { role: 'status' });
  const form = h(
    'form',
    { class: 'opinion-ask' },
    h('h2', {}, t('opinion.ask')),
    field('opinion.title.ru', 'ru'),
    field('opinion.title.kk', 'kk'),
    field('opinion.keywords', 'keywords'),
    h('p', { class: 'hint' }, t('opinion.keywords.hint')),
    ...STANCES.map((s) => field(`opinion.examples.${s}`, `ex_${s}`, true)),
    h('p', { class: 'hint' }, t('opinion.examples.hint')),
    h('button', { type: 'submit' }, t('opinion.ask.submit')),
    note,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(form);
    const lines = (k) =>
      String(f.get(k) ?? '')
        .split('\n')
        .map((x) => x.trim())
        .filter(Boolean);
    const body = {
      title: { ru: String(f.get('ru') ?? '').trim(), kk: String(f.get('kk') ?? '').trim() },
      keywords: String(f.get('keywords') ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      examples: Object.fromEntries(STANCES.map((s) => [s, lines(`ex_${s}`)])),
    };
    try {
      const made = await api('/analytics/opinion', { body });
      state.id = made.id;
      await render(state.container);
      // The screen was drawn anew: the confirmation goes to the new form's status line.
      const fresh = state.container.querySelector('.opinion-ask [role="status"]');
      if (fresh) say(fresh, t('opinion.asked', { n: made.matched }));
    } catch (err) {
      say(note, errorText(err), 'error');
    }
  });
  return form;
}

function quotes(data) {
  const manage = session.user?.roles.some((r) => ['admin', 'supervisor', 'operator'].includes(r));
  return h(
    'section',
    { class: 'opinion-quotes' },
    h('h2', {}, t('opinion.quotes')),
    ...STANCES.map((s) =>
      h(
        'div',
        {},
        h('h3', {}, t(`opinion.stance.${s}`)),
        data.quotes[s].length
          ? h(
              'ul',
              {},
              ...data.quotes[s].map((q) =>
                h(
                  'li',
                  {},
                  h('blockquote', {}, q.text),
                  h('span', { class: 'muted' }, `${q.channel} · ${q.district ?? t('opinion.unknown')} · ${q.week}`),
                  manage && q.id ? correction(q.id, s) : null,
                ),
              ),
            )
          : h('p', { class: 'muted' }, t('opinion.noquotes')),
      ),
    ),
  );
}

function correction(messageId, stance) {
  const select = h(
    'select',
    { 'aria-label': t('opinion.correct') },
    ...STANCES.map((s) => h('option', { value: s, selected: s === stance }, t(`opinion.stance.${s}`))),
  );
  select.addEventListener('change', async () => {
    await api(`/analytics/opinion/${state.id}/matches/${messageId}`, { method: 'PATCH', body: { stance: select.value } });
    await render(state.container);
  });
  return h('label', { class: 'opinion-correct' }, h('span', {}, t('opinion.correct')), select);
}

async function download() {
  const res = await fetch(`/api/v1/analytics/opinion/${state.id}/export.csv`, { headers: { authorization: `Bearer ${session.token}` } });
  const url = URL.createObjectURL(await res.blob());
  h('a', { href: url, download: `opinion-${state.id}.csv` }).click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function estimateView(data) {
  const e = data.estimate;
  const l = lang();
  const trend = data.trend.length
    ? lineChart({
        title: t('opinion.trend'),
        labels: data.trend.map((w) => w.week.slice(5)),
        series: STANCES.map((s) => ({ name: t(`opinion.stance.${s}`), values: data.trend.map((w) => Math.round(w.shares[s] * 100)) })),
      })
    : null;
  return h(
    'section',
    { class: 'opinion-estimate' },
    h('h2', {}, data.question.title[l] || data.question.title.ru),
    h('p', {}, t('opinion.figures', { n: e.n, neff: e.effective_n, weighting: t(`opinion.weighting.${e.weighting}`) })),
    e.small_sample ? h('p', { class: 'warning' }, t('opinion.small')) : null,
    intervalChart(e),
    h('p', { class: 'opinion-caveat' }, e.caveat[l] ?? e.caveat.ru),
    trend,
    quotes(data),
    h('button', { type: 'button', on: { click: download } }, t('opinion.export')),
  );
}

export async function render(container) {
  state.container = container;
  clear(container);
  try {
    state.questions = (await api('/analytics/opinion')).questions;
  } catch (err) {
    return container.append(h('p', { class: 'error' }, errorText(err)));
  }
  state.id ??= state.questions[0]?.id ?? null;
  const l = lang();
  const picker = h(
    'select',
    { 'aria-label': t('opinion.pick') },
    ...state.questions.map((q) => h('option', { value: q.id, selected: q.id === state.id }, `${q.title[l] || q.title.ru} (${q.matches})`)),
  );
  picker.addEventListener('change', async () => {
    state.id = Number(picker.value);
    await render(container);
  });
  container.append(
    h('p', { class: 'lead' }, t('opinion.lead')),
    state.questions.length ? h('label', { class: 'field' }, h('span', {}, t('opinion.pick')), picker) : h('p', {}, t('opinion.none')),
  );
  if (state.id) {
    try {
      state.data = await api(`/analytics/opinion/${state.id}`);
      container.append(estimateView(state.data));
    } catch (err) {
      container.append(h('p', { class: 'error' }, errorText(err)));
    }
  }
  if (session.user?.roles.some((r) => ['admin', 'supervisor', 'operator'].includes(r))) container.append(askForm());
}

export function relocalize() {
  if (state.container) render(state.container);
}
