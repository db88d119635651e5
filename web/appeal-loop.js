// The resident's own view of an appeal (opened with its access key): the conversation with the city, and the loop
// after resolution — confirm the fix, reopen it with a reason within the window, rate it 1–5 with a comment, add
// details. Every action answers with the fresh view, which is drawn again. Resident text is always set as text.
import { api, errorText } from './api.js';
import { h, say } from './dom.js';
import { formatDateTime, t } from './i18n.js';

/** POSTs an action with the key; gives the fresh view, or throws the API's error. */
function act(number, key, action, body) {
  return api(`/appeals/${encodeURIComponent(number)}/${action}`, { method: 'POST', body, headers: { 'x-appeal-key': key } });
}

function conversation(a) {
  const items = a.conversation ?? [];
  if (!items.length) return h('p', { class: 'muted', i18n: 'track.no_replies' });
  return h(
    'ol',
    { class: 'replies conversation' },
    items.map((m) =>
      h(
        'li',
        { class: `from-${m.from}` },
        h(
          'p',
          { class: 'meta' },
          t(`track.from.${m.from}`),
          ' · ',
          formatDateTime(m.at),
          m.attachments ? ` · ${t('track.photos', { n: m.attachments })}` : '',
        ),
        h('p', { class: 'reply-text' }, m.text),
      ),
    ),
  );
}

function textArea(id, labelKey, { required = false, rows = 3 } = {}) {
  return h('div', { class: 'field' }, h('label', { for: id, i18n: labelKey }), h('textarea', { id, name: 'text', rows, maxlength: 2000, required }));
}

function stars(current) {
  return h(
    'div',
    { class: 'stars', role: 'radiogroup', 'aria-labelledby': 'rate-h' },
    [1, 2, 3, 4, 5].map((n) =>
      h(
        'span',
        { class: 'star' },
        h('input', { type: 'radio', name: 'score', id: `score-${n}`, value: String(n), checked: current === n }),
        h('label', { for: `score-${n}`, title: t('loop.rate.score', { n }) }, `${n} ★`),
      ),
    ),
  );
}

/**
 * Draws the loop's controls into `box` for the view `a`. `redraw(view)` is called with the fresh view after an
 * action; `status` is the live region that says what happened.
 */
export function loopSection(a, key, { status, redraw, reload }) {
  const can = a.can ?? {};
  const run = async (form, action, body, doneKey) => {
    const button = form.querySelector('[type=submit]');
    button.disabled = true;
    try {
      const view = await act(a.number, key, action, body);
      redraw(view);
      say(status, t(doneKey), 'ok');
      status.scrollIntoView?.({ block: 'nearest' });
    } catch (err) {
      // The appeal changed under the resident (closed by itself, reopened…): show it as it is now, and why.
      if (err.code === 'invalid_transition') {
        const view = await reload();
        say(status, view?.window && !view.window.open ? t('loop.window_closed') : errorText(err), 'error');
      } else say(status, errorText(err), 'error');
    } finally {
      button.disabled = false;
    }
  };
  const form = (id, headingKey, children, onSubmit) => {
    const f = h('form', { id, class: 'loop-form', novalidate: true }, h('h3', { id: `${id}-h`, i18n: headingKey }), children);
    f.addEventListener('submit', (e) => {
      e.preventDefault();
      onSubmit(f);
    });
    return f;
  };
  const text = (f) => f.elements.namedItem('text').value.trim();
  const parts = [];

  if (a.window) {
    parts.push(
      a.window.open
        ? h('p', { class: 'note', 'data-window': 'open' }, t('loop.window_open', { date: formatDateTime(a.window.ends_at) }))
        : h('p', { class: 'note', 'data-window': 'closed' }, t('loop.window_closed'), ' ', h('a', { href: '#/appeal', i18n: 'loop.new_appeal' })),
    );
  }
  if (can.confirm) {
    parts.push(
      form('loop-confirm', 'loop.confirm.title', h('button', { type: 'submit', class: 'primary', i18n: 'loop.confirm' }), (f) =>
        run(f, 'confirm', undefined, 'loop.confirmed'),
      ),
    );
  }
  if (can.reopen) {
    parts.push(
      form(
        'loop-reopen',
        'loop.reopen.title',
        [
          textArea('loop-reason', 'loop.reopen.reason', { required: true }),
          h('button', { type: 'submit', class: 'secondary', i18n: 'loop.reopen.submit' }),
        ],
        (f) => {
          if (!text(f)) return say(status, t('error.required'), 'error');
          return run(f, 'reopen', { reason: text(f) }, 'loop.reopened');
        },
      ),
    );
  }
  if (can.rate) {
    parts.push(
      form(
        'loop-rate',
        'loop.rate.title',
        [
          a.rating ? h('p', { class: 'muted', 'data-rating': String(a.rating.score) }, t('loop.rate.current', { n: a.rating.score })) : null,
          stars(a.rating?.score),
          textArea('loop-comment', 'loop.rate.comment', { rows: 2 }),
          h('button', { type: 'submit', class: 'secondary', i18n: 'loop.rate.submit' }),
        ],
        (f) => {
          const score = Number(f.querySelector('input[name=score]:checked')?.value);
          if (!score) return say(status, t('loop.rate.pick'), 'error');
          return run(f, 'rate', { score, ...(text(f) ? { comment: text(f) } : {}) }, 'loop.rated');
        },
      ),
    );
  }
  if (can.add_details) {
    parts.push(
      form(
        'loop-details',
        'loop.details.title',
        [
          textArea('loop-details-text', 'loop.details.text', { required: true }),
          h('button', { type: 'submit', class: 'secondary', i18n: 'loop.details.submit' }),
        ],
        (f) => {
          if (!text(f)) return say(status, t('error.required'), 'error');
          return run(f, 'details', { text: text(f) }, 'loop.details.added');
        },
      ),
    );
  }
  return h('section', { class: 'loop', 'aria-label': t('loop.title') }, parts, h('h3', { i18n: 'track.conversation' }), conversation(a));
}
