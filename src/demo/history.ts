// Carries out the demo history (history-plan.ts) through the real commands, each at its own time in the past: the
// appeal through the normal intake (fileAppeal), the operator's assignment and corrections, the executor's
// accept / ask / hand back / resolve with a proof photo, the resident's answer, confirmation, reopening and rating,
// and a few incidents worked as incidents. Nothing is written to the tables directly. The commands read the time
// from a context of its own (`at`), so the centre's clock is never moved under a live request.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { StaffUser } from '../auth/policies.js';
import { loadStaffUser } from '../auth/sessions.js';
import { DemoHistoryFile } from '../config/schema.js';
import type { Context } from '../context.js';
import { actOnIncident } from '../incidents/actions.js';
import { fileAppeal } from '../pipeline.js';
import { actOnTicket } from '../tickets/commands.js';
import { addDetails, confirmResolution, rateTicket, reopenByResident } from '../tickets/resident.js';
import { type HistoryData, type PlannedAppeal, planHistory, proofPng, random } from './history-plan.js';

const MINUTE = 60_000;

export interface HistoryResult {
  appeals: number;
  actions: number;
  incidents: number;
}

export function readHistory(cityDir: string): HistoryData | null {
  let text: string;
  try {
    text = readFileSync(join(cityDir, 'demo-history.yaml'), 'utf8');
  } catch {
    return null; // a city without a demo history
  }
  return DemoHistoryFile.parse(parse(text));
}

/** The staff who do the work: operators by turn, and for each organisation an executor of it (or above it). */
async function crew(ctx: Context) {
  const users: StaffUser[] = [];
  for (const u of ctx.city.demo.users) {
    const row = await ctx.db.selectFrom('users').select('id').where('email', '=', u.email).executeTakeFirst();
    const user = row ? await loadStaffUser(ctx.db, row.id) : null;
    if (user) users.push(user);
  }
  const operators = users.filter((u) => u.roles.includes('operator'));
  const executors = users.filter((u) => u.roles.includes('executor'));
  const own = new Map(ctx.city.demo.users.map((u) => [u.email, u.organisation]));
  return {
    operator: (i: number) => operators[i % Math.max(operators.length, 1)],
    // The organisation's own executor first; else one whose organisation is above it (housing → the buildings' companies).
    executor: (org: string | null) =>
      org ? (executors.find((u) => own.get(u.email) === org) ?? executors.find((u) => u.organisations.includes(org))) : undefined,
  };
}

/**
 * The history, once: an appeal already stored (its `demo-h<i>` id) is skipped with everything that followed it.
 * `until` is the real time now; steps that would fall after it have not happened yet and are left undone.
 */
export async function seedHistory(ctx: Context, opts: { signal?: AbortSignal } = {}): Promise<HistoryResult> {
  const result: HistoryResult = { appeals: 0, actions: 0, incidents: 0 };
  const data = readHistory(ctx.settings.QALA_CITY_DIR);
  if (!data) return result;
  const until = ctx.now();
  let clock = until;
  const at: Context = { ...ctx, now: () => new Date(clock) };
  const staff = await crew(ctx);
  const photo = [{ contentType: 'image/png', filename: 'proof.png', bytes: proofPng() }];

  /** Runs `fn` at time `t` if that is already past; false (and nothing done) if it is still to come. */
  const step = async (t: Date, fn: () => Promise<unknown>): Promise<boolean> => {
    if (t.getTime() > until.getTime() - MINUTE || opts.signal?.aborted) return false;
    clock = t;
    try {
      await fn();
      result.actions++;
      return true;
    } catch (err) {
      // A step the lifecycle refuses (an incident took the ticket meanwhile…) ends this ticket's story, not the seeding.
      ctx.log.debug({ err }, 'demo history step skipped');
      return false;
    }
  };
  const plus = (t: Date, minutes: number) => new Date(t.getTime() + minutes * MINUTE);
  const current = (number: string) => ctx.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();

  for (const [i, p] of planHistory(data, until).entries()) {
    if (opts.signal?.aborted) break;
    clock = p.receivedAt;
    const filed = await fileAppeal(at, {
      channel: p.channel,
      externalId: p.externalId,
      text: p.text,
      location: { lat: p.lat, lon: p.lon, address: p.address },
      sender: p.sender,
      raw: { demo: true },
      receivedAt: p.receivedAt,
    });
    if (filed.duplicate || !filed.ticket) continue;
    result.appeals++;
    await story(p, i, filed.ticket.number);
  }
  for (const [k, inc] of data.incidents.entries()) {
    if (opts.signal?.aborted) break;
    if (await incident(inc, k)) result.incidents++;
  }
  return result;

  /** One ticket from its assignment to the resident's last word, as far as the time now allows. */
  async function story(p: PlannedAppeal, i: number, number: string) {
    const operator = staff.operator(i);
    let t = await current(number);
    let when = p.receivedAt;
    if (!operator) return;
    // The operator checks the centre's queue: a ticket nobody could route, or routed under another category,
    // is assigned with the category corrected (the routing rules name the organisation).
    if (t.status === 'new' || t.category !== p.category) {
      const place = ctx.city.router.streets?.place(t.address) ?? null;
      const organisation = ctx.city.router.route(
        { category: p.category, district: t.district, text: p.text, place },
        ctx.city.city.fallback_organisation,
      ).organisation;
      when = plus(when, 5 + (i % 30));
      if (!(await step(when, () => actOnTicket(at, operator, number, { action: 'assign', organisation, category: p.category })))) return;
    }
    if (p.detour === 'reject' || p.detour === 'duplicate') {
      const input =
        p.detour === 'reject'
          ? { action: 'reject' as const, reason: p.texts.reject }
          : { action: 'mark_duplicate' as const, reason: p.texts.duplicate };
      await step(plus(when, p.detourAfter), () => actOnTicket(at, operator, number, input));
      return;
    }
    t = await current(number);
    let executor = staff.executor(t.organisation_id);
    if (!executor) return;
    if (p.detour === 'hand_back') {
      when = plus(when, p.detourAfter);
      if (!(await step(when, () => actOnTicket(at, executor as StaffUser, number, { action: 'hand_back', reason: p.texts.handback })))) return;
      // The operator sends it on again, to the organisation the rules name, with a word in the audit.
      when = plus(when, 30 + (i % 90));
      if (
        !(await step(when, () =>
          actOnTicket(at, operator, number, { action: 'assign', organisation: t.organisation_id ?? undefined, category: p.category }),
        ))
      )
        return;
    }
    when = plus(when, p.acceptAfter);
    if (!(await step(when, () => actOnTicket(at, executor as StaffUser, number, { action: 'accept' })))) return;
    if (p.detour === 'ask' || p.detour === 'silent_ask') {
      when = plus(when, p.detourAfter);
      if (!(await step(when, () => actOnTicket(at, executor as StaffUser, number, { action: 'ask', question: p.texts.question })))) return;
      if (p.detour === 'silent_ask') return; // the resident has not answered: the ticket waits, its clock stopped
      when = plus(when, p.replyAfter);
      const answer = { channel: t.channel, externalId: `${p.externalId}-answer`, text: p.texts.answer, raw: { demo: true }, receivedAt: when };
      if (!(await step(when, () => addDetails(at, number, t.resident_id as number, answer)))) return;
    }
    // Fixed at its planned share of the time to the deadline (moved by any wait), never before the last step.
    t = await current(number);
    const due = t.resolution_due ?? plus(p.receivedAt, 3 * 24 * 60);
    const fixAt = new Date(
      Math.max(when.getTime() + 30 * MINUTE, p.receivedAt.getTime() + p.resolveShare * (due.getTime() - p.receivedAt.getTime())),
    );
    const resolve = () => actOnTicket(at, executor as StaffUser, number, { action: 'resolve', note: p.texts.note, proof: photo });
    if (!(await step(fixAt, resolve))) return;
    when = plus(fixAt, p.residentAfter);
    const owner = t.resident_id as number;
    if (p.resident === 'silent') return;
    if (p.resident === 'reopen') {
      if (!(await step(when, () => reopenByResident(at, number, owner, p.texts.reopen)))) return;
      if (!p.reworked) return; // reopened, not yet taken again
      executor = staff.executor((await current(number)).organisation_id) ?? executor;
      when = plus(when, 60 + (i % 180));
      if (!(await step(when, () => actOnTicket(at, executor as StaffUser, number, { action: 'accept' })))) return;
      when = plus(when, 240 + (i % 600));
      if (!(await step(when, resolve))) return;
      when = plus(when, p.residentAfter);
    }
    if (p.resident !== 'rate_only' && !(await step(when, () => confirmResolution(at, number, owner)))) return;
    await step(plus(when, 2), () => rateTicket(at, number, owner, p.resident === 'reopen' ? 3 : p.score, p.texts.comment));
  }

  /** Several residents report one problem at one building; the centre works it as one incident. */
  async function incident(inc: HistoryData['incidents'][number], k: number): Promise<boolean> {
    const street = data?.streets.find((s) => s.ru === inc.street);
    if (!street) return false;
    const start = new Date(Math.floor((until.getTime() - inc.hours_ago * 3_600_000) / MINUTE) * MINUTE);
    const r = random(0x1c1d + k);
    const numbers: { number: string; resident: number | null }[] = [];
    for (const [j, report] of inc.reports.entries()) {
      clock = plus(start, j * 17 + Math.floor(r() * 10));
      if (clock.getTime() > until.getTime()) break;
      const address = `${street[report.lang]}, ${inc.house}`;
      const filed = await fileAppeal(at, {
        channel: j % 2 ? 'phone' : 'web',
        externalId: `demo-i${k}-${j}`,
        text: report.text.replace('{addr}', address),
        location: { lat: street.lat + 0.0003 * k, lon: street.lon + 0.0003 * j, address },
        sender: { name: data?.names[(k * 5 + j) % (data?.names.length ?? 1)] ?? 'Demo', phone: `+7 700 000 9${k} ${String(10 + j)}` },
        raw: { demo: true },
        receivedAt: clock,
      });
      if (filed.duplicate) return false;
      if (filed.ticket) numbers.push({ number: filed.ticket.number, resident: filed.ticket.resident_id });
    }
    const last = numbers.at(-1);
    const id = last ? (await current(last.number)).incident_id : null;
    if (!id) return false;
    const row = await ctx.db.selectFrom('incidents').select(['organisation_id', 'category', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    let when = plus(clock, 15);
    // A report the triage could not route leaves the incident in the centre's queue: an operator assigns it whole.
    const operator = staff.operator(k);
    if (row.status === 'new' && operator && row.category) {
      const organisation = ctx.city.router.route({ category: row.category, district: null }, ctx.city.city.fallback_organisation).organisation;
      const assign = { action: 'assign', organisation, category: row.category };
      if (!(await step(when, () => actOnIncident(at, operator, id, assign)))) return true;
    }
    const executor = staff.executor(
      (await ctx.db.selectFrom('incidents').select('organisation_id').where('id', '=', id).executeTakeFirstOrThrow()).organisation_id,
    );
    if (!executor || inc.fate === 'assigned') return true;
    when = plus(when, 40);
    if (!(await step(when, () => actOnIncident(at, executor, id, { action: 'accept' })))) return true;
    if (inc.fate !== 'resolved') return true;
    when = plus(when, 300);
    const note = inc.note?.[executor.locale === 'kk' ? 'kk' : 'ru'] ?? '';
    if (!(await step(when, () => actOnIncident(at, executor, id, { action: 'resolve', note, proof: photo })))) return true;
    // Most reporters confirm and rate; one has not answered yet.
    for (const [j, n] of numbers.slice(0, -1).entries()) {
      if (n.resident === null) continue;
      const owner = n.resident;
      const t = plus(when, 90 + j * 70);
      if (await step(t, () => confirmResolution(at, n.number, owner))) await step(plus(t, 2), () => rateTicket(at, n.number, owner, j % 3 ? 5 : 4));
    }
    return true;
  }
}
