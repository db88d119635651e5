// The ticket card's incident part: which incident the ticket is a report of, and grouping from the card itself —
// add the ticket to an incident, make an incident of it and other tickets, or take it out of its incident. The
// server checks every step (src/api/routes/incidents.ts); `tk.incident_may` says which of them to offer.
import { ApiError, api, errorText } from './api.js';
import { FormProblem } from './appeal-form.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { field, numbers, submitForm } from './incident-card.js';
import { section } from './ticket-sections.js';

const INCIDENT = /^[A-Z]{2,5}-\d{4}-I\d{5,}$/;
/** The ids of this part's inputs, whose typed text the card keeps when it is drawn again. */
export const TYPED_INCIDENT = ['ti-incident', 'ti-numbers'];
const incidentHref = (number) => `#/staff/incident/${encodeURIComponent(number)}`;

/** The section, or null when the ticket is in no incident and the reader may not group it. `host`: { done(notice), reload(), onAuthLost() }. */
export function incidentSection(tk, host) {
  const may = tk.incident_may ?? {};
  if (!tk.incident && !may.merge && !may.create) return null;
  // submitForm's host: a conflict is shown as the card's notice and the card is loaded afresh.
  const forms = { reload: host.reload, notify: (text, kind) => host.done({ text, kind }) };
  if (tk.incident) {
    return section(
      't-incident',
      'ticket.incident',
      h('p', { 'data-incident-of': tk.incident }, t('ticket.incident.part_of'), ' ', h('a', { href: incidentHref(tk.incident) }, tk.incident)),
      may.split
        ? h(
            'p',
            { class: 'button-row' },
            h(
              'button',
              { type: 'button', class: 'secondary', 'data-incident-split': '', on: { click: () => split(tk, host) } },
              t('ticket.incident.split'),
            ),
          )
        : null,
    );
  }
  return section(
    't-incident',
    'ticket.incident',
    h('p', { class: 'muted', i18n: 'ticket.incident.none' }),
    may.merge ? addForm(tk, host, forms) : null,
    may.create ? createForm(tk, host, forms) : null,
  );
}

/** The request, with a lost session handed to the card's host. */
async function load(host, path, init) {
  try {
    return await api(path, init);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) host.onAuthLost();
    throw err;
  }
}

function addForm(tk, host, forms) {
  const status = h('p', { class: 'form-status', role: 'alert', hidden: true });
  const input = h('input', { id: 'ti-incident', name: 'incident', autocomplete: 'off', spellcheck: 'false' });
  const form = h(
    'form',
    { class: 'incident-form', 'data-incident-add': '', novalidate: true },
    h('h3', { i18n: 'ticket.incident.add' }),
    field('ti-incident', 'ticket.incident.add.number', input, 'ticket.incident.add.hint'),
    status,
    h('button', { type: 'submit', class: 'secondary', i18n: 'ticket.incident.add.submit' }),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submitForm(form, status, forms, async () => {
      const number = input.value.trim().toUpperCase();
      if (!INCIDENT.test(number)) throw new FormProblem('incident', t('ticket.incident.bad_number'));
      try {
        await load(host, `/incidents/${encodeURIComponent(number)}/tickets`, { body: { tickets: [tk.number] } });
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) throw new FormProblem('incident', t('ticket.incident.not_found', { number }));
        throw err;
      }
      await host.done({ text: t('ticket.incident.add.done', { number }), kind: 'ok' });
    });
  });
  return form;
}

function createForm(tk, host, forms) {
  const status = h('p', { class: 'form-status', role: 'alert', hidden: true });
  const form = h(
    'form',
    { class: 'incident-form', 'data-incident-create': '', novalidate: true },
    h('h3', { i18n: 'ticket.incident.create' }),
    field(
      'ti-numbers',
      'ticket.incident.create.numbers',
      h('input', { id: 'ti-numbers', name: 'numbers', autocomplete: 'off', spellcheck: 'false' }),
      'incident.numbers.hint',
    ),
    status,
    h('button', { type: 'submit', class: 'secondary', i18n: 'ticket.incident.create.submit' }),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submitForm(form, status, forms, async () => {
      const chosen = numbers(form.elements.namedItem('numbers').value);
      const tickets = [tk.number, ...chosen.tickets.filter((n) => n !== tk.number)];
      if (tickets.length < 2 && !chosen.incidents.length) throw new FormProblem('numbers', t('ticket.incident.create.more'));
      const made = await load(host, '/incidents', { body: { tickets, incidents: chosen.incidents } });
      await host.done({ text: t('ticket.incident.create.done', { number: made.number }), kind: 'ok' });
    });
  });
  return form;
}

async function split(tk, host) {
  const number = tk.incident;
  if (!window.confirm(t('ticket.incident.split.confirm', { ticket: tk.number, number }))) return;
  try {
    await load(host, `/incidents/${encodeURIComponent(number)}/tickets/${encodeURIComponent(tk.number)}`, { method: 'DELETE' });
    await host.done({ text: t('ticket.incident.split.done', { number }), kind: 'ok' });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    await host.done({ text: errorText(err), kind: 'error' });
  }
}
