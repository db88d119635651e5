// A resident files appeals over real HTTP, in three languages, and looks them up; bad input is refused whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentre, type TestCentre } from '../centre.js';

let c: TestCentre;
beforeAll(async () => {
  c = await startTestCentre({}, { demo: false });
});
afterAll(() => c?.close());

// Inbound messages only: the outbox relay records outgoing replies in the background.
const count = async (table: 'messages' | 'attachments') => {
  let q = c.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'));
  if (table === 'messages') q = q.where('direction', '=', 'in');
  return Number((await q.executeTakeFirstOrThrow()).n);
};

describe('POST /api/v1/appeals', () => {
  it('files a Russian appeal and answers at once with number, category, organisation, deadline and acknowledgement', async () => {
    const r = await c.api('/api/v1/appeals', {
      body: { text: 'Третий день нет горячей воды в доме, улица Кенесары 40', contact: { phone: '+7 701 111 22 33' } },
    });
    expect(r.status).toBe(201);
    expect(r.body.number).toMatch(/^AST-\d{4}-\d{6}$/);
    expect(r.body.category?.code).toBe('HOTW');
    expect(r.body.organisation?.id).toBeTruthy();
    expect(r.body.deadline).toMatch(/\+05:00$/);
    expect(r.body.language).toBe('ru');
    expect(r.body.acknowledgement).toContain(r.body.number);
    expect(r.body.acknowledgement).toMatch(/[а-я]/);
    expect(r.body).not.toHaveProperty('contact');
  });

  it('answers a Kazakh appeal in Kazakh and an English one in English', async () => {
    const kk = await c.api('/api/v1/appeals', { body: { text: 'Үйде жылу жоқ, батареялар суық, балалар ауырып жатыр', lat: 51.16, lon: 71.43 } });
    expect(kk.status).toBe(201);
    expect(kk.body.language).toBe('kk');
    expect(kk.body.acknowledgement).toMatch(/[әғқңөұүһі]/i);
    const en = await c.api('/api/v1/appeals', {
      body: { text: 'There is a huge pothole on the road near my house', address: 'Kabanbay batyr avenue 11' },
    });
    expect(en.status).toBe(201);
    expect(en.body.language).toBe('en');
    expect(en.body.category?.code).toBe('ROAD');
    expect(en.body.acknowledgement).toMatch(/[A-Za-z]/);
    expect(en.body.acknowledgement).not.toMatch(/[а-яә]/i);
  });

  it('finds the district from the coordinates', async () => {
    // Inside the Esil polygon (its label point).
    const r = await c.api('/api/v1/appeals', { body: { text: 'Не горит уличное освещение во дворе', lat: 51.095, lon: 71.47 } });
    expect(r.body.district?.id).toBe('esil');
  });

  it('stores the same appeal once when the client repeats it with the same Idempotency-Key', async () => {
    const before = await count('messages');
    const body = { text: 'Мусор не вывозят неделю, контейнеры переполнены' };
    const headers = { 'idempotency-key': 'client-retry-0001' };
    const a = await c.api('/api/v1/appeals', { body, headers });
    const b = await c.api('/api/v1/appeals', { body, headers });
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.body.number).toBe(a.body.number);
    expect(b.body.duplicate).toBe(true);
    expect((await count('messages')) - before).toBe(1);
  });

  it('keeps photos with the appeal', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex').toString('base64');
    const before = await count('attachments');
    const r = await c.api('/api/v1/appeals', {
      body: { text: 'Яма на дороге, фото прилагаю', photos: [{ content_type: 'image/png', data: png, filename: 'yama.png' }] },
    });
    expect(r.status).toBe(201);
    expect((await count('attachments')) - before).toBe(1);
  });

  it('stores resident text exactly as sent, markup included, and never executes it (rendered as text)', async () => {
    const text = 'Нет воды <script>alert(1)</script> &amp; <b>срочно</b>';
    const r = await c.api('/api/v1/appeals', { body: { text } });
    expect(r.status).toBe(201);
    const m = await c.ctx.db
      .selectFrom('messages')
      .select('text')
      .where('channel', '=', 'web')
      .where('direction', '=', 'in')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(m.text).toBe(text);
  });

  describe('bad input gets a clear 4xx and stores nothing', () => {
    const cases: [string, unknown, number, RegExp][] = [
      ['missing text', { lat: 51.1, lon: 71.4 }, 400, /text/],
      ['empty text', { text: '' }, 400, /text/],
      ['text of markup only', { text: '<p><br/></p>' }, 400, /readable/],
      ['control characters', { text: 'нет воды\u0000' }, 400, /control/],
      ['latitude out of range', { text: 'Нет света', lat: 123, lon: 71.4 }, 400, /lat/],
      ['latitude without longitude', { text: 'Нет света', lat: 51.1 }, 400, /lat/],
      ['coordinates as strings', { text: 'Нет света', lat: 'north', lon: 71.4 }, 400, /lat/],
      ['an unknown field', { text: 'Нет света', secret: 1 }, 400, /secret|unrecognized/i],
      ['a photo that is not base64', { text: 'Яма', photos: [{ content_type: 'image/png', data: '!!!' }] }, 400, /base64/],
      ['a photo of a forbidden type', { text: 'Яма', photos: [{ content_type: 'text/html', data: 'AAAA' }] }, 400, /content_type/],
      ['text over 5000 characters', { text: 'а'.repeat(5001) }, 400, /5000/],
    ];
    it.each(cases)('%s', async (_name, body, status, message) => {
      const before = await count('messages');
      const r = await c.api('/api/v1/appeals', { body });
      expect(r.status).toBe(status);
      expect(r.body.error.code).toBe('validation');
      expect(JSON.stringify(r.body.error)).toMatch(message);
      expect(await count('messages')).toBe(before);
    });

    it('malformed JSON', async () => {
      const before = await count('messages');
      const r = await c.api('/api/v1/appeals', { body: '{"text": "нет воды"', headers: { 'content-type': 'application/json' } });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/JSON/i);
      expect(await count('messages')).toBe(before);
    });

    it('a body over the size limit', async () => {
      const before = await count('messages');
      const r = await c.api('/api/v1/appeals', { body: { text: 'x', pad: 'a'.repeat(37 * 1024 * 1024) } });
      expect(r.status).toBe(413);
      expect(r.body.error.code).toBe('payload_too_large');
      expect(await count('messages')).toBe(before);
    });
  });
});

describe('GET /api/v1/appeals/:number', () => {
  it('shows status, deadline and the city’s replies, and no personal data', async () => {
    const filed = await c.api('/api/v1/appeals', {
      body: {
        text: 'Не работает лифт в подъезде, ул. Сыганак 10',
        contact: { name: 'Айгерим Сапарова', phone: '+77019998877', email: 'aigerim@example.kz' },
      },
    });
    let r = await c.api(`/api/v1/appeals/${filed.body.number}`);
    // The acknowledgement reaches the conversation through the outbox relay, within a second or so.
    for (let i = 0; i < 50 && r.body.replies.length === 0; i++) {
      await new Promise((res) => setTimeout(res, 100));
      r = await c.api(`/api/v1/appeals/${filed.body.number}`);
    }
    expect(r.status).toBe(200);
    expect(r.body.status).toBe(filed.body.status);
    expect(r.body.replies[0].text).toContain(filed.body.number);
    expect(r.text).not.toMatch(/Айгерим|77019998877|aigerim/);
  });

  it('answers 404 for an unknown number and 400 for something that is not a number', async () => {
    expect((await c.api('/api/v1/appeals/AST-2020-999999')).status).toBe(404);
    const bad = await c.api('/api/v1/appeals/hello');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation');
  });
});

describe('public endpoints are rate-limited', () => {
  it('answers 429 past the limit', async () => {
    const limited = await startTestCentre({ PUBLIC_RATE_LIMIT: 3 }, { demo: false });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.api('/api/v1/appeals/AST-2026-000001')).status);
      expect(codes.slice(0, 3)).toEqual([404, 404, 404]);
      expect(codes[4]).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
