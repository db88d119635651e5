// Opinion on a question over real HTTP on a real database: an operator asks about the bike lanes with keywords and
// example posts; Qala finds the messages about it in Russian and Kazakh (Cyrillic and Latin), reads their stance,
// estimates the shares raw and weighted; a new message is read by the sweep; a correction changes the stance and
// the estimate; the export holds aggregates only. Executors may not see it; the akim may read but not ask.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opinionSweep } from '../../src/analytics/opinion.js';
import { sweepOnce } from '../../src/sla/ticker.js';
import { startTestCentre, type TestCentre } from '../centre.js';

let c: TestCentre;
const tokens: Record<string, string> = {};
let seq = 0;

/** A resident's message with its triage (district, sentiment), written straight into the store. */
async function message(text: string, district: string | null, channel = 'telegram', sentiment = 'neutral', day = '2027-04-06'): Promise<number> {
  seq += 1;
  const db = c.ctx.db;
  const resident = await db
    .insertInto('residents')
    .values({ name: `Жанар Секретова ${seq}`, phone: `+7 701 555 44 ${String(seq).padStart(2, '0')}`, email: `zhanar${seq}@example.kz` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const m = await db
    .insertInto('messages')
    .values({
      channel,
      external_id: `opinion-${seq}`,
      direction: 'in',
      text,
      resident_id: resident.id,
      location: null,
      raw: '{}',
      stage: 'done',
      received_at: new Date(`${day}T10:00:00+05:00`),
      audience: 'public',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('message_triage')
    .values({
      message_id: m.id,
      engine: 'test',
      language: 'ru',
      kind: 'suggestion',
      confidence: 0.5,
      sentiment,
      urgency: 'normal',
      district,
      explanation: '{}',
    })
    .execute();
  return m.id;
}

const QUESTION = {
  title: { ru: 'Велодорожки на Мәңгілік Ел', kk: 'Мәңгілік Ел даңғылындағы велосипед жолдары', en: 'Bike lanes on Mangilik El' },
  keywords: ['велодорож', 'велосипед жол', 'веложол'],
  examples: {
    for: ['Велодорожки отличная идея, теперь безопасно ездить на работу', 'Велосипед жолдары керемет, балалармен қауіпсіз жүреміз'],
    against: ['Велодорожки забрали полосу, пробки стали хуже, убрать', 'Велосипед жолы керек емес, көлік кептелісі көбейді'],
    neutral: ['Когда откроют велодорожки на левом берегу?'],
  },
};

const ids: Record<string, number> = {};
let qid = 0;

beforeAll(async () => {
  c = await startTestCentre();
  for (const email of ['operator1@qala.demo', 'akim@qala.demo', 'executor.water@qala.demo'])
    tokens[email.split('@')[0] as string] = await c.login(email);
  ids.forRu1 = await message('Велодорожки отличная идея, ездить на работу стало безопасно', 'esil', 'telegram', 'positive');
  ids.forRu2 = await message('Спасибо за велодорожки, теперь безопасно ездить с детьми', 'esil', 'instagram', 'positive');
  ids.forRu3 = await message('Велодорожка — отличная идея, езжу на работу каждый день', 'esil');
  ids.forKk = await message('Велосипед жолдары керемет, балалармен қауіпсіз', 'nura', 'telegram', 'positive');
  ids.forLatin = await message('Velosiped joldary keremet, qauipsiz', 'nura');
  ids.againstRu1 = await message('Велодорожки забрали полосу, пробки стали хуже. Звоните +7 701 123 45 67', 'almaty', 'telegram', 'negative');
  ids.againstRu2 = await message('Уберите велодорожки, пробки хуже некуда', 'almaty', 'instagram', 'negative');
  ids.againstRu3 = await message('Велодорожка забрала полосу, стоим в пробках', 'almaty', 'telegram', 'negative');
  ids.againstKk = await message('Велосипед жолы керек емес, кептеліс көбейді', 'saryarka', 'telegram', 'negative');
  ids.neutral = await message('Когда откроют велодорожки на левом берегу?', null);
  ids.other1 = await message('Во дворе не работает лифт третий день', 'esil');
  ids.other2 = await message('Жарық жоқ, үйде электр сөнді', 'nura');
}, 120_000);

afterAll(async () => {
  await c?.close();
});

describe('opinion on a question', () => {
  it('is refused to executors and to officials who would ask a question', async () => {
    expect((await c.api('/api/v1/analytics/opinion', { token: tokens['executor.water'] })).status).toBe(403);
    expect((await c.api('/api/v1/analytics/opinion', { token: tokens.akim, body: QUESTION })).status).toBe(403);
  });

  it('finds the relevant messages in Russian and Kazakh in the history when a question is asked', async () => {
    const made = await c.api('/api/v1/analytics/opinion', { token: tokens.operator1, body: QUESTION });
    expect(made.status).toBe(201);
    qid = made.body.id;
    expect(made.body.matched).toBe(10); // the lift and the power cut are not about bike lanes
    const listed = await c.api('/api/v1/analytics/opinion', { token: tokens.akim });
    expect(listed.body.questions.map((q: { id: number }) => q.id)).toContain(qid);
  });

  it('reads the stances and estimates the shares raw and weighted, with intervals and a caveat', async () => {
    const r = await c.api(`/api/v1/analytics/opinion/${qid}`, { token: tokens.akim });
    expect(r.status).toBe(200);
    const e = r.body.estimate;
    expect(e.n).toBe(10);
    expect(e.answers.for.count).toBe(5);
    expect(e.answers.against.count).toBe(4);
    expect(e.answers.neutral.count).toBe(1);
    expect(e.answers.for.raw.share).toBe(0.5);
    expect(e.weighting).toBe('district');
    // Esil (3 of 9 known) is over-represented against its population share, Almaty too; weighted shares move.
    expect(e.answers.for.weighted.share).not.toBe(e.answers.for.raw.share);
    expect(e.answers.for.weighted.ci[0]).toBeLessThan(e.answers.for.weighted.share);
    expect(e.effective_n).toBeLessThan(e.n);
    expect(e.small_sample).toBe(true);
    for (const lang of ['ru', 'kk', 'en']) expect(e.caveat[lang].length).toBeGreaterThan(50);
    expect(r.body.trend).toEqual([{ week: '2027-04-05', n: 10, shares: { for: 0.5, against: 0.4, neutral: 0.1 } }]);
    const quoted = JSON.stringify(r.body.quotes);
    expect(r.body.quotes.for.length).toBeGreaterThan(0);
    expect(quoted).not.toContain('123 45 67'); // the phone in a quote is masked
    expect(quoted).not.toContain('Секретова');
  });

  it('reads new messages as they arrive (the sweep)', async () => {
    await message('Велодорожки — отличная идея, безопасно', 'baikonur', 'telegram', 'positive', '2027-04-13');
    const done = await sweepOnce(c.ctx, [opinionSweep], c.ctx.now());
    expect(done.opinion).toBe(1);
    const r = await c.api(`/api/v1/analytics/opinion/${qid}`, { token: tokens.operator1 });
    expect(r.body.estimate.n).toBe(11);
    expect(r.body.trend.map((t: { week: string }) => t.week)).toEqual(['2027-04-05', '2027-04-12']);
    expect((await sweepOnce(c.ctx, [opinionSweep], c.ctx.now())).opinion).toBe(0); // nothing read twice
  });

  it("takes the analyst's correction: the stance and the estimate change, and the model does not overwrite it", async () => {
    const fix = await c.api(`/api/v1/analytics/opinion/${qid}/matches/${ids.neutral}`, {
      method: 'PATCH',
      token: tokens.operator1,
      body: { stance: 'against' },
    });
    expect(fix.status).toBe(200);
    const r = await c.api(`/api/v1/analytics/opinion/${qid}`, { token: tokens.operator1 });
    expect(r.body.corrected).toBe(1);
    expect(r.body.estimate.answers.against.count).toBe(5);
    expect(r.body.estimate.answers.neutral.count).toBe(0);
    const stored = await c.ctx.db
      .selectFrom('opinion_matches')
      .selectAll()
      .where('question_id', '=', qid)
      .where('message_id', '=', ids.neutral!)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ stance: 'against', source: 'analyst' });
    const audit = await c.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'opinion.stance_corrected').execute();
    expect(audit).toHaveLength(1);
    const bad = await c.api(`/api/v1/analytics/opinion/${qid}/matches/${ids.other1}`, {
      method: 'PATCH',
      token: tokens.operator1,
      body: { stance: 'for' },
    });
    expect(bad.status).toBe(404);
    const akim = await c.api(`/api/v1/analytics/opinion/${qid}/matches/${ids.forRu1}`, {
      method: 'PATCH',
      token: tokens.akim,
      body: { stance: 'against' },
    });
    expect(akim.status).toBe(403);
  });

  it('exports aggregates only, with cells under five residents suppressed', async () => {
    const r = await c.api(`/api/v1/analytics/opinion/${qid}/export.csv`, { token: tokens.operator1 });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    const lines = r.text.trim().split('\n');
    expect(lines[0]).toContain('weighted_share');
    // 6 for and 5 against across 11 residents: the city rows show; every district cell has fewer than 5: suppressed.
    expect(lines.find((l) => l.startsWith('estimate,city,for,'))).toMatch(/^estimate,city,for,6,0\.5455,/);
    expect(lines.find((l) => l.startsWith('estimate,city,neutral,'))).toBe('estimate,city,neutral,<5,,,,,,,');
    const districts = lines.filter((l) => l.startsWith('district,'));
    expect(districts.length).toBeGreaterThan(0);
    expect(districts.every((l) => l.split(',')[3] === '<5')).toBe(true);
    expect(r.text).not.toMatch(/Секретова|example\.kz|\+7 701|велодорож/i);
  });
});
