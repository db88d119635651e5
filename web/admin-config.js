// One section of the city's configuration (organisations, categories, routing, SLA targets, calendars): its form
// (admin-sections.js), the same value as JSON in the shape of its file behind a toggle (docs/configuration.md), the
// file's value beside the admin's override, and the history. The server validates an edit with the same schemas and
// cross-checks as at start and lists what is wrong by path, shown beside the field or the JSON editor.

import { sectionForm } from './admin-sections.js';
import { ApiError, api, detailText, errorText, loadReference } from './api.js';
import { clear, h, say } from './dom.js';
import { formatDateTime, t } from './i18n.js';

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
    fields,
    h('details', { class: 'card json-toggle', 'data-json-toggle': '' }, h('summary', { i18n: 'admin.config.as_json' }), form),
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

/** The server's problems by path, next to the editor they are about. */
export function showList(ul, control, details) {
  clear(ul).append(
    ...details.map((d) => h('li', {}, h('code', {}, String(d.field ?? '').replace(/^body\.(value\.)?/, '') || '—'), ` ${detailText(d)}`)),
  );
  ul.hidden = false;
  control.setAttribute('aria-invalid', 'true');
  control.focus();
}
