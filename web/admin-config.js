// One section of the city's configuration (organisations, categories, routing, SLA targets, calendars): what is in
// force as a readable table, the file's value beside the admin's override, the history, and the editor. The section
// is edited as JSON in the shape of its file (docs/configuration.md); the server validates it with the same schemas
// and cross-checks as at start and lists what is wrong by path, shown beside the editor.

import { sectionForm } from './admin-sections.js';
import { ApiError, api, categories, detailText, errorText, loadReference, organisations } from './api.js';
import { clear, h, say } from './dom.js';
import { formatDateTime, localName, t } from './i18n.js';

/** An organisation or category shown by its name in the page's language, with its code. */
const orgName = (id) => {
  const o = organisations().find((x) => x.id === id);
  return o ? `${localName(o.names)} (${id})` : id;
};
const catName = (code) => {
  const c = categories().find((x) => x.code === code);
  return c ? `${code} · ${localName(c.names)}` : code;
};
const list = (xs) => (xs?.length ? xs.join(', ') : '—');
const duration = (d) =>
  d?.hours !== undefined
    ? t('admin.sla.hours', { n: d.hours })
    : d?.working_hours !== undefined
      ? t('admin.sla.working_hours', { n: d.working_hours })
      : t('admin.sla.working_days', { n: d?.working_days });

/** The columns of each section's table: [header key, cell of a row]. */
const TABLES = {
  organisations: (v) => [
    v.organisations,
    [
      ['admin.col.id', (o) => o.id],
      ['admin.col.name', (o) => localName(o.name)],
      ['admin.col.kind', (o) => o.kind],
      ['admin.col.parent', (o) => (o.parent ? orgName(o.parent) : '—')],
    ],
  ],
  categories: (v) => [
    v.categories,
    [
      ['admin.col.code', (c) => c.code],
      ['admin.col.name', (c) => localName(c.name)],
      ['admin.col.group', (c) => c.group],
      ['admin.col.keywords', (c) => list(c.keywords?.ru?.slice(0, 6))],
    ],
  ],
  routing: (v) => [
    v.rules,
    [
      ['admin.col.priority', (r) => String(r.priority ?? 0)],
      ['admin.col.category', (r) => r.category],
      [
        'admin.col.condition',
        (r) => [r.district, r.street && `${r.street} ${r.houses ?? ''}`, r.keywords && list(r.keywords)].filter(Boolean).join(' · ') || '—',
      ],
      ['admin.col.target', (r) => (r.organisation ? orgName(r.organisation) : `${t('admin.col.registry')}: ${r.registry}`)],
    ],
  ],
  sla: (v) => [
    v.targets,
    [
      ['admin.col.category', (x) => catName(x.category)],
      ['admin.col.urgency', (x) => x.urgency ?? '—'],
      ['admin.col.first_response', (x) => duration(x.first_response)],
      ['admin.col.resolution', (x) => duration(x.resolution)],
    ],
  ],
  calendar: (v) => [
    (v.years ?? []).flatMap((y) => [
      ...y.days_off.map((d) => ({ year: y.year, date: d.date, what: localName(d.name), off: true })),
      ...(y.working_days ?? []).map((d) => ({ year: y.year, date: d.date, what: d.note, off: false })),
    ]),
    [
      ['admin.col.date', (d) => d.date],
      ['admin.col.day', (d) => t(d.off ? 'admin.calendar.off' : 'admin.calendar.worked')],
      ['admin.col.what', (d) => d.what],
    ],
  ],
};

export async function showSection(body, section) {
  const status = h('p', { class: 'form-status', role: 'status', hidden: true });
  body.append(h('h2', { i18n: `admin.pane.${section}` }), status);
  let view;
  try {
    [view] = await Promise.all([api(`/admin/config/${section}`), loadReference()]);
  } catch (err) {
    return say(status, errorText(err), 'error');
  }
  const effective = view.override ?? view.file;
  const [rows, cols] = TABLES[section](effective);
  const errors = h('ul', { class: 'field-errors', id: `cfg-${section}-errors`, hidden: true });
  const editor = h('textarea', {
    id: `cfg-${section}`,
    class: 'json-editor',
    rows: 18,
    spellcheck: 'false',
    'aria-describedby': `cfg-${section}-hint cfg-${section}-errors`,
  });
  editor.value = JSON.stringify(effective, null, 2);
  const form = h(
    'form',
    { class: 'card admin-form', novalidate: true },
    h('div', { class: 'field wide' }, h('label', { for: editor.id, i18n: 'admin.config.editor' }), editor, errors),
    h('p', { class: 'hint', id: `cfg-${section}-hint`, i18n: 'admin.config.editor.hint' }),
    h(
      'p',
      { class: 'button-row' },
      h('button', { type: 'submit', class: 'primary', i18n: 'admin.save' }),
      view.override
        ? h('button', { type: 'button', class: 'secondary', 'data-revert': '', i18n: 'admin.config.revert', on: { click: revert } })
        : null,
    ),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    let value;
    try {
      value = JSON.parse(editor.value);
    } catch (err) {
      return showList(errors, editor, [{ field: '', message: `${t('admin.config.not_json')} ${err.message}` }]);
    }
    try {
      await api(`/admin/config/${section}`, { method: 'PUT', body: { value } });
      await redraw(t('admin.config.applied'));
    } catch (err) {
      if (err instanceof ApiError && err.details.length) {
        showList(errors, editor, err.details);
        say(status, t('admin.invalid'), 'error');
      } else say(status, errorText(err), 'error');
    }
  });
  async function revert() {
    if (!window.confirm(t('admin.config.revert.confirm'))) return;
    try {
      await api(`/admin/config/${section}`, { method: 'DELETE' });
      await redraw(t('admin.config.reverted'));
    } catch (err) {
      if (err instanceof ApiError && err.details.length) showList(errors, editor, err.details);
      say(status, errorText(err), 'error');
    }
  }
  async function redraw(message) {
    clear(body);
    await showSection(body, section);
    say(body.querySelector('.form-status'), message, 'ok');
  }

  // Sections with a form (admin-sections.js) are edited field by field; the JSON editor stays behind a toggle.
  const fields = await sectionForm(section, effective, { saved: () => redraw(t('admin.config.applied')), revert: view.override ? revert : null });
  body.append(
    h('p', { class: view.override ? 'badge overridden' : 'badge', i18n: view.override ? 'admin.config.overridden' : 'admin.config.from_file' }),
    fields ?? h('div', { class: 'table-wrap' }, table(rows, cols)),
    fields ? h('details', { class: 'card json-toggle', 'data-json-toggle': '' }, h('summary', { i18n: 'admin.config.as_json' }), form) : form,
    h(
      'details',
      { class: 'card' },
      h('summary', { i18n: 'admin.config.file_value' }),
      h('pre', { class: 'json' }, JSON.stringify(view.file, null, 2)),
    ),
    history(view.history),
  );
}

export function history(items) {
  if (!items.length) return null;
  return h(
    'section',
    { class: 'card' },
    h('h3', { i18n: 'admin.config.history' }),
    h(
      'ul',
      {},
      items.map((x) =>
        h(
          'li',
          {},
          t(x.reverted ? 'admin.config.history.revert' : 'admin.config.history.edit', {
            version: x.version,
            who: x.author ?? '—',
            at: formatDateTime(x.at),
          }),
        ),
      ),
    ),
  );
}

function table(rows, cols) {
  return h(
    'table',
    { class: 'admin-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        cols.map(([k]) => h('th', { scope: 'col', i18n: k })),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {},
          cols.map(([, cell]) => h('td', {}, cell(r))),
        ),
      ),
    ),
  );
}

/** The server's problems by path, next to the editor they are about. */
export function showList(ul, control, details) {
  clear(ul).append(
    ...details.map((d) => h('li', {}, h('code', {}, String(d.field ?? '').replace(/^body\.(value\.)?/, '') || '—'), ` ${detailText(d)}`)),
  );
  ul.hidden = false;
  control.setAttribute('aria-invalid', 'true');
  control.focus();
}
