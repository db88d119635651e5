// Reply templates: each key with its Russian, Kazakh and English text side by side and the variables a text may
// use. Saved as the templates section (validated like the file at start); problems appear under the text concerned.
import { history } from './admin-config.js';
import { clearErrors, field, showErrors } from './admin-form.js';
import { api, errorText } from './api.js';
import { clear, h, say } from './dom.js';
import { t } from './i18n.js';

// Headed by the language's name in the reader's language (a Kazakh admin reads «Орыс тілі»), as the other forms are.
const LANGS = [
  ['ru', 'language.ru'],
  ['kk', 'language.kk'],
  ['en', 'language.en'],
];

export async function showTemplates(body) {
  const status = h('p', { class: 'form-status', role: 'status', hidden: true });
  body.append(h('h2', { i18n: 'admin.pane.templates' }), status);
  let view;
  let meta;
  try {
    [view, meta] = await Promise.all([api('/admin/config/templates'), api('/admin/config')]);
  } catch (err) {
    return say(status, errorText(err), 'error');
  }
  const templates = structuredClone((view.override ?? view.file).templates);
  const fileTemplates = view.file.templates;
  const form = h('form', { class: 'admin-form', novalidate: true });
  const keys = h('div', {});
  const draw = () =>
    clear(keys).append(
      ...Object.keys(templates)
        .sort()
        .map((k) => templateBox(k, templates, fileTemplates)),
    );
  draw();
  const newKey = h('input', { autocomplete: 'off', spellcheck: 'false', placeholder: t('admin.templates.key_example') });
  form.append(
    h(
      'p',
      { class: 'card variables', id: 'tpl-vars' },
      t('admin.templates.variables'),
      ' ',
      meta.template_variables.map((v) => h('code', {}, `{${v}}`)),
    ),
    keys,
    h(
      'div',
      { class: 'card row' },
      field({ label: 'admin.templates.new_key', control: newKey, hint: 'admin.templates.new_key.hint' }),
      h('button', {
        type: 'button',
        class: 'secondary',
        i18n: 'admin.templates.add',
        on: {
          click: () => {
            const k = newKey.value.trim();
            if (!k || k in templates) return newKey.focus();
            templates[k] = { ru: '', kk: '', en: '' };
            draw();
            keys.querySelector(`[data-path="templates.${CSS.escape(k)}.ru"]`)?.focus();
          },
        },
      }),
    ),
    status,
    h(
      'p',
      { class: 'button-row sticky-actions' },
      h('button', { type: 'submit', class: 'primary', i18n: 'admin.save' }),
      view.override ? h('button', { type: 'button', class: 'secondary', i18n: 'admin.config.revert', on: { click: revert } }) : null,
    ),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    for (const el of form.querySelectorAll('textarea[data-path]')) {
      const [, key, l] = /^templates\.(.+)\.(ru|kk|en)$/.exec(el.dataset.path) ?? [];
      if (key && templates[key]) templates[key][l] = el.value;
    }
    try {
      await api('/admin/config/templates', { method: 'PUT', body: { value: { templates } } });
      clear(body);
      await showTemplates(body);
      say(body.querySelector('.form-status'), t('admin.config.applied'), 'ok');
    } catch (err) {
      showErrors(form, status, err);
    }
  });
  async function revert() {
    if (!window.confirm(t('admin.config.revert.confirm'))) return;
    try {
      await api('/admin/config/templates', { method: 'DELETE' });
      clear(body);
      await showTemplates(body);
      say(body.querySelector('.form-status'), t('admin.config.reverted'), 'ok');
    } catch (err) {
      showErrors(form, status, err);
    }
  }
  body.append(
    h('p', { class: view.override ? 'badge overridden' : 'badge', i18n: view.override ? 'admin.config.overridden' : 'admin.config.from_file' }),
    form,
    history(view.history),
  );
}

function templateBox(key, templates, fileTemplates) {
  // Compared language by language: the database keeps JSON keys in an order of its own.
  const changed = LANGS.some(([l]) => templates[key]?.[l] !== fileTemplates[key]?.[l]);
  return h(
    'fieldset',
    { class: 'card template', 'data-template': key },
    h('legend', {}, h('code', {}, key), changed ? h('span', { class: 'badge overridden', i18n: 'admin.templates.changed' }) : null),
    h(
      'div',
      { class: 'template-langs' },
      LANGS.map(([l, labelKey]) => {
        const area = h('textarea', { rows: 4, lang: l, 'aria-describedby': 'tpl-vars' });
        area.value = templates[key][l] ?? '';
        const f = field({ label: labelKey, control: area, path: `templates.${key}.${l}` });
        const file = fileTemplates[key]?.[l];
        if (changed && file) f.append(h('p', { class: 'hint file-text' }, h('span', { i18n: 'admin.templates.file' }), ' ', file));
        return f;
      }),
    ),
  );
}
