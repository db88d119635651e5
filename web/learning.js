// How well triage agrees with the operators, and the category models it learnt from them: the engine in use, the
// active model's held-out figures, earlier models, and (supervisors, admins) a retrain on request.
import { ApiError, api, errorText, loadReference, names, session } from './api.js';
import { clear, facts, h, say } from './dom.js';
import { formatDateTime, t } from './i18n.js';

const pct = (x) => (typeof x === 'number' ? `${Math.round(x * 100)} %` : t('none'));
const category = (code) => (code ? names.category({ code, name: code }) : t('none'));
const mayRetrain = () => (session.user?.roles ?? []).some((r) => r === 'supervisor' || r === 'admin');

export async function showLearning(section, onLoggedOut) {
  clear(section);
  const status = h('p', { role: 'status', 'data-status': '', hidden: true });
  section.append(h('h2', { i18n: 'learning.title' }), status);
  let m;
  try {
    [m] = await Promise.all([api('/triage/models'), loadReference()]);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return onLoggedOut();
    return say(status, errorText(err), 'error');
  }
  const a = m.accuracy;
  const active = m.active;
  section.append(
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'ln-now' },
      h('h3', { id: 'ln-now', i18n: 'learning.now' }),
      facts([
        ['learning.engine', active ? t('learning.engine.model', { id: active.id }) : t('learning.engine.keywords')],
        ['learning.agreement', a.labels ? t('learning.agreement.value', { percent: pct(a.accuracy), n: a.labels }) : t('learning.agreement.none')],
        ['learning.threshold', pct(m.settings.min_confidence)],
        ['learning.next', t('learning.next.value', { n: m.settings.retrain_after_labels })],
      ]),
      a.corrected.length
        ? h(
            'div',
            {},
            h('h4', { i18n: 'learning.corrections' }),
            h(
              'ul',
              {},
              a.corrected.map((c) => h('li', {}, `${category(c.predicted)} → ${category(c.value)}: ${c.count}`)),
            ),
          )
        : null,
    ),
  );
  if (active) {
    const x = active.metrics ?? {};
    section.append(
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'ln-model' },
        h('h3', { id: 'ln-model', i18n: 'learning.active' }),
        facts([
          ['learning.trained', formatDateTime(active.created_at)],
          ['learning.examples', String(active.examples)],
          ['learning.macro_f1', typeof x.macro_f1 === 'number' ? x.macro_f1.toFixed(3) : t('none')],
          ['learning.accuracy', pct(x.accuracy)],
          ['learning.classes', String(Object.keys(active.classes).length)],
        ]),
      ),
    );
  }
  if (m.models.length) {
    const rows = m.models.map((x) =>
      h(
        'tr',
        {},
        h('td', {}, `#${x.id}${x.active ? ` · ${t('learning.in_use')}` : ''}`),
        h('td', {}, formatDateTime(x.created_at)),
        h('td', {}, String(x.examples)),
        h('td', {}, typeof x.metrics?.macro_f1 === 'number' ? x.metrics.macro_f1.toFixed(3) : t('none')),
      ),
    );
    section.append(
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'ln-all' },
        h('h3', { id: 'ln-all', i18n: 'learning.models' }),
        h(
          'table',
          { class: 'tickets' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['learning.model', 'learning.trained', 'learning.examples', 'learning.macro_f1'].map((k) => h('th', { scope: 'col', i18n: k })),
            ),
          ),
          h('tbody', {}, rows),
        ),
      ),
    );
  }
  if (mayRetrain()) {
    const button = h('button', { type: 'button', class: 'primary', i18n: 'learning.retrain' });
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await api('/triage/models/retrain', { method: 'POST', body: {} });
        say(status, t('learning.retrain.queued', { n: m.settings.min_examples }));
      } catch (err) {
        say(status, errorText(err), 'error');
      } finally {
        button.disabled = false;
      }
    });
    section.append(h('p', {}, button));
  }
}
