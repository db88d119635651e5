// The read-only parts of a staff ticket card: details (with the deadline clock), conversation, triage, routing trace,
// deliveries and history.
import { names } from './api.js';
import { facts, h, statusBadge } from './dom.js';
import { formatDateTime, label, lang, t } from './i18n.js';

const when = (iso) => formatDateTime(iso);

function parse(json) {
  if (typeof json !== 'string') return json ?? {};
  try {
    return JSON.parse(json);
  } catch {
    return {};
  }
}

export function section(id, titleKey, ...content) {
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id, i18n: titleKey }), ...content);
}

export function details(tk) {
  const r = tk.resident;
  const resident = r ? [r.name, r.phone, r.email].filter(Boolean).join(', ') : null;
  // The deadline in the operator's terms (time left or behind, on the working clock), said by the server in each language.
  const view = tk.deadline_view;
  const deadline = h(
    'span',
    { 'data-deadline-state': view?.state ?? '' },
    when(tk.deadline),
    view ? h('span', { class: `badge deadline-${view.state}` }, ` ${view.operator[lang()] ?? view.operator.ru}`) : null,
  );
  return facts([
    ['col.status', statusBadge(tk.status)],
    ['col.category', names.category(tk.category) ?? t('unknown')],
    ['col.organisation', names.organisation(tk.organisation) ?? t('unknown')],
    ['col.district', names.district(tk.district) ?? t('unknown')],
    ['col.address', tk.address ?? ''],
    ['ticket.point', tk.point ? `${tk.point.lat}, ${tk.point.lon}` : null],
    ['col.urgency', label('urgency', tk.urgency)],
    ['col.channel', label('channel', tk.channel)],
    ['ticket.language', label('language', tk.language)],
    ['col.created', when(tk.created_at)],
    ['ticket.first_response', when(tk.first_response_due)],
    ['ticket.accepted', tk.accepted_at ? when(tk.accepted_at) : null],
    ['col.deadline', deadline],
    // While the resident is asked a question the deadline clock stands still; the time it stood moves the deadline.
    [
      'ticket.clock',
      tk.paused_at ? h('span', { class: 'badge paused', 'data-clock': 'paused' }, t('ticket.clock_paused', { since: when(tk.paused_at) })) : null,
    ],
    ['ticket.paused_total', tk.paused_minutes > 0 ? t('ticket.paused_value', { n: tk.paused_minutes }) : null],
    ['ticket.handbacks', tk.handback_count > 0 ? String(tk.handback_count) : null],
    ['ticket.incident', tk.incident ? h('a', { href: `#/staff/incident/${encodeURIComponent(tk.incident)}` }, tk.incident) : null],
    ['ticket.resident', resident || null],
  ]);
}

export function conversation(tk) {
  const list = h('ol', { class: 'messages' });
  for (const m of tk.messages ?? []) {
    list.append(
      h(
        'li',
        { class: `msg msg-${m.direction === 'out' ? 'out' : 'in'}` },
        h('p', { class: 'meta' }, t(m.direction === 'out' ? 'msg.out' : 'msg.in'), ' · ', label('channel', m.channel), ' · ', when(m.received_at)),
        h('p', { class: 'msg-text' }, m.text ?? ''),
      ),
    );
  }
  const files = tk.attachments ?? [];
  const attachments = files.length
    ? [
        h('p', { class: 'meta' }, t('ticket.attachments', { n: files.length })),
        h(
          'ul',
          { class: 'files' },
          files.map((f) => h('li', {}, f.filename || f.content_type)),
        ),
      ]
    : [];
  return section('t-conv', 'ticket.conversation', list, ...attachments);
}

export function triage(tk) {
  const tr = tk.triage;
  if (!tr) return null;
  const ex = parse(tr.explanation);
  // The engine explains itself in codes and the words it matched; the sentences are the page's, in its language.
  const words = (list) => (list ?? []).map((w) => `«${w}»`).join(', ');
  const why = [
    ex.language ? t('why.language', { percent: Math.round((ex.language.confidence ?? 0) * 100) }) : null,
    ...(ex.category ?? []).map((c) =>
      t('why.category', { word: `«${c.keyword}»`, category: names.category({ code: c.category, name: c.category }) }),
    ),
    ...modelWhy(ex.categoryBy),
    ex.sentiment?.cues?.length ? t('why.sentiment', { words: words(ex.sentiment.cues.map((c) => c.replace(/^model:(word|chars):/, ''))) }) : null,
    ex.urgency?.length ? t('why.urgency', { words: words(ex.urgency) }) : null,
    ex.kind?.length ? t('why.kind', { words: words(ex.kind) }) : null,
    ex.place ? t(`why.place.${ex.place.method}`, { words: ex.place.matched ? `«${ex.place.matched}»` : '' }) : null,
  ].filter((x) => typeof x === 'string' && x);
  return section(
    't-triage',
    'ticket.triage',
    facts([
      ['ticket.language', label('language', tr.language)],
      ['triage.kind', label('kind', tr.kind)],
      ['col.category', tr.category ? names.category({ code: tr.category, name: tr.category }) : t('unknown')],
      ['triage.confidence', typeof tr.confidence === 'number' ? `${Math.round(tr.confidence * 100)} %` : null],
      ['col.urgency', label('urgency', tr.urgency)],
      ['triage.sentiment', label('sentiment', tr.sentiment)],
      ['col.district', tr.district ? names.district({ id: tr.district, name: tr.district }) : t('unknown')],
    ]),
    why.length ? h('h3', { i18n: 'triage.why' }) : null,
    why.length
      ? h(
          'ul',
          { class: 'why' },
          why.map((w) => h('li', {}, w)),
        )
      : null,
  );
}

/** The learnt model's part: what it chose and the n-grams behind it, or that it was not sure enough. */
function modelWhy(by) {
  const m = by?.model;
  if (!m) return [];
  const category = names.category({ code: m.label, name: m.label });
  const percent = Math.round(m.confidence * 100);
  if (by.method === 'model') {
    const grams = m.features.slice(0, 4).map((f) => `«${f.feature.replace(/^[a-z]+:/, '')}»`);
    return [t('why.model', { category, percent, words: grams.join(', '), id: m.id })];
  }
  return [t('why.model_unsure', { category, percent, threshold: Math.round(m.threshold * 100), id: m.id })];
}

// Ids in a trace phrase are named in the reader's language.
const NAMED = {
  organisation: (id) => names.organisation({ id }),
  district: (id) => names.district({ id }),
  got: (id) => names.district({ id }),
};

/** A routing step in the reader's language (older tickets, traced before phrases existed, keep their English). */
function traceText(s) {
  if (!Array.isArray(s.says) || !s.says.length) return s.why ?? '';
  const said = s.says.map((p) => {
    const vars = { ...(p.vars ?? {}) };
    for (const [k, name] of Object.entries(NAMED)) if (k in vars) vars[k] = name(vars[k]) ?? vars[k];
    if (vars.category !== undefined) vars.category = names.category({ code: vars.category }) ?? vars.category;
    if (vars.service !== undefined) vars.service = label('route.service', vars.service);
    return t(`route.${p.key}`, vars);
  });
  return `${said.join(' ')}${s.note ? ` (${s.note})` : ''}`;
}

export function routing(tk) {
  const steps = Array.isArray(tk.routing_trace) ? tk.routing_trace : [];
  const list = h('ol', { class: 'trace' });
  for (const s of steps) {
    list.append(
      h(
        'li',
        { class: s.matched ? 'matched' : 'skipped' },
        h('strong', {}, t('routing.rule', { n: Number(s.rule) + 1 })),
        ' ',
        h('span', { class: `badge ${s.matched ? 'yes' : 'no'}` }, t(s.matched ? 'routing.matched' : 'routing.skipped')),
        h('p', { class: 'why-text' }, traceText(s)),
      ),
    );
  }
  return section('t-route', 'ticket.routing', steps.length ? list : h('p', { class: 'muted', i18n: 'routing.empty' }));
}

function historyLabel(action) {
  if (action === 'ticket.opened') return t('history.opened');
  return label('history', String(action).replace(/^ticket\./, ''));
}

export function history(tk) {
  const list = h('ol', { class: 'history' });
  for (const e of tk.history ?? []) {
    const d = parse(e.data);
    const actor = e.actor_type === 'user' ? (e.actor_name ?? t('actor.user', { id: e.actor_id })) : label('actor', e.actor_type);
    list.append(
      h(
        'li',
        {},
        h('p', { class: 'meta' }, when(e.at), ' · ', actor),
        h(
          'p',
          { class: 'history-what' },
          h('strong', {}, historyLabel(e.action)),
          d.organisation ? ` · ${names.organisation({ id: d.organisation, name: d.organisation })}` : null,
          d.template ? ` · ${label('template', d.template)}` : null,
          // Joining, leaving, or moved by the incident's work: the incident it was, as a link to its card.
          typeof d.incident === 'string' ? [' · ', h('a', { href: `#/staff/incident/${encodeURIComponent(d.incident)}` }, d.incident)] : null,
        ),
        // A corrected place: what the address and district were and became.
        d.address?.to !== undefined ? h('p', { class: 'meta' }, `${d.address.from ?? t('none')} → ${d.address.to ?? t('none')}`) : null,
        d.district?.to
          ? h(
              'p',
              { class: 'meta' },
              `${d.district.from ? names.district({ id: d.district.from, name: d.district.from }) : t('none')} → ${names.district({ id: d.district.to, name: d.district.to })}`,
            )
          : null,
        d.from && d.to && d.from !== d.to ? h('p', { class: 'meta' }, `${label('status', d.from)} → ${label('status', d.to)}`) : null,
        d.reason ? h('p', { class: 'reason' }, t('history.reason', { reason: d.reason })) : null,
        d.question ? h('p', { class: 'reason' }, t('history.question', { question: d.question })) : null,
        d.paused_minutes > 0 ? h('p', { class: 'meta' }, t('history.paused', { n: d.paused_minutes })) : null,
      ),
    );
  }
  return section('t-hist', 'ticket.history', list);
}

/** What the city sent the resident on their channel, and whether it arrived (a failure shows the platform's answer). */
export function deliveries(tk) {
  const rows = tk.deliveries ?? [];
  if (!rows.length) return null;
  const list = h(
    'ul',
    { class: 'deliveries' },
    rows.map((d) =>
      h(
        'li',
        { class: `delivery delivery-${d.status}` },
        h('p', { class: 'meta' }, when(d.created_at), ' · ', label('channel', d.channel), ' · ', sentWhat(d.template)),
        h('p', {}, h('strong', {}, label('delivery', d.status)), d.attempts > 1 ? ` · ${t('delivery.attempts', { n: d.attempts })}` : ''),
        d.status !== 'sent' && d.last_error ? h('p', { class: 'reason' }, d.last_error) : null,
      ),
    ),
  );
  return section('t-deliv', 'ticket.deliveries', list);
}

const sentWhat = (template) => (template?.startsWith('status.') ? label('status', template.slice(7)) : label('template', template ?? 'reply'));
