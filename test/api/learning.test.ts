// The learning loop over real HTTP and the real job queue: an imported history trains a model in the
// background, the model then decides categories of new appeals (with its reasons), operators' corrections
// become labels that trigger the next retrain, and an admin can go back to an earlier model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTriageEngine } from '../../src/triage/create.js';
import { startTestCentre, type TestCentre, waitFor } from '../centre.js';

let c: TestCentre;
let admin: string;
let operator: string;
let executor: string;

beforeAll(async () => {
  c = await startTestCentre();
  admin = await c.login('admin@qala.demo');
  operator = await c.login('operator1@qala.demo');
  executor = await c.login('executor.water@qala.demo');
});
afterAll(() => c?.close());

// A small synthetic history: three categories, each described in its own words, in Russian and Kazakh.
const POOLS: Record<string, { what: string[]; how: string[] }> = {
  HEAT: {
    what: ['радиаторы', 'батареи в спальне', 'стояк в детской', 'пәтердегі радиатор', 'жылу құбыры'],
    how: ['ледяные', 'чуть теплые', 'не греют совсем', 'мүлдем жылымайды', 'суып тұр'],
  },
  LIFT: {
    what: ['кабина', 'грузовая кабина', 'кабина во втором подъезде', 'көтергіш', 'кнопки вызова'],
    how: ['скрипит на ходу', 'дергается на ходу', 'застревает', 'тоқтап қалды', 'не светятся'],
  },
  WAST: {
    what: ['мусорные баки', 'контейнерная площадка', 'бак для отходов', 'қоқыс жәшіктері', 'қоқыс алаңы'],
    how: ['переполнены неделю', 'никто не вывозит', 'воняет на весь двор', 'толып кетті', 'шығарылмай жатыр'],
  },
};
const TAILS = ['', ' третий день', ', помогите', ' уже неделю', ', көмектесіңіздер', ' с утра'];

function history(perClass: number) {
  const out: { text: string; label: string }[] = [];
  for (const [label, p] of Object.entries(POOLS))
    for (let i = 0; i < perClass; i++) {
      const what = p.what[i % p.what.length] as string;
      const how = p.how[Math.floor(i / p.what.length) % p.how.length] as string;
      out.push({ text: `${what} ${how}${TAILS[i % TAILS.length]}`, label });
    }
  return out;
}

describe('the triage model learns from the city’s history and its operators', () => {
  it('starts on the seed keywords, with no model', async () => {
    const r = await c.api('/api/v1/triage/models', { token: operator });
    expect(r.status).toBe(200);
    expect(r.body.active).toBeNull();
    expect(r.body.engine).toBe('keywords-1');
    expect(r.body.settings.min_confidence).toBeGreaterThan(0);
  });

  it('refuses imports and model changes to anyone but an admin, and the figures to executors', async () => {
    const body = { examples: [{ text: 'батареи холодные', label: 'HEAT' }] };
    expect((await c.api('/api/v1/triage/history', { token: operator, body })).status).toBe(403);
    expect((await c.api('/api/v1/triage/models', { token: executor })).status).toBe(403);
    expect((await c.api('/api/v1/triage/models/retrain', { token: operator, method: 'POST', body: {} })).status).toBe(403);
    expect((await c.api('/api/v1/triage/models/1/activate', { token: operator, method: 'POST', body: {} })).status).toBe(403);
    expect((await c.api('/api/v1/triage/history', { token: admin, body: { examples: [{ text: '', label: 'HEAT' }] } })).status).toBe(400);
  });

  let firstModel: number;
  it('imports a labelled history once, trains in the background and makes the model active', async () => {
    const rows = history(60);
    const r = await c.api('/api/v1/triage/history', {
      token: admin,
      body: { batch: 'test-history', examples: [...rows, { text: 'просто текст', label: 'NOT-A-CODE' }] },
    });
    expect(r.status).toBe(201);
    expect(r.body.added).toBe(rows.length + 1);
    expect(r.body.unknownLabels).toEqual({ 'NOT-A-CODE': 1 });
    expect(r.body.retrain).toBe(true);
    const again = await c.api('/api/v1/triage/history', {
      token: admin,
      body: { batch: 'test-history', examples: rows.slice(0, 10), retrain: false },
    });
    expect(again.body).toMatchObject({ added: 0, repeated: 10 });

    const models = await waitFor('an active model', async () => {
      const m = await c.api('/api/v1/triage/models', { token: operator });
      return m.body.active ? m.body : undefined;
    });
    firstModel = models.active.id;
    expect(models.engine).toBe(`model-${firstModel}+keywords-1`);
    expect(models.active.examples).toBe(rows.length); // the unknown label is kept but not learnt
    expect(Object.keys(models.active.classes).sort()).toEqual(['HEAT', 'LIFT', 'WAST']);
    expect(models.active.metrics.macro_f1).toBeGreaterThanOrEqual(c.ctx.city.triage.model.min_macro_f1);
    expect(models.active.bytes).toBeGreaterThan(0);
    const audit = await c.ctx.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', 'like', 'triage_%').execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['triage_history.import', 'triage_history.import', 'triage_model.activate']);
  });

  it('decides the category of a new appeal the seed keywords cannot place, and says why', async () => {
    const text = 'Кабина скрипит и дергается на ходу';
    expect(createTriageEngine(c.ctx.city).triage({ text }).category).toBeNull();
    const filed = await c.api('/api/v1/appeals', { body: { text } });
    expect(filed.status).toBe(201);
    expect(filed.body.category.code).toBe('LIFT');
    const t = await c.api(`/api/v1/tickets/${filed.body.number}`, { token: operator });
    const by = t.body.triage.explanation.categoryBy;
    expect(by.method).toBe('model');
    expect(by.model.id).toBe(firstModel);
    expect(by.model.confidence).toBeGreaterThanOrEqual(by.model.threshold);
    expect(by.model.features.map((f: { feature: string }) => f.feature).join(' ')).toMatch(/каб|скрип|дерг|ходу/);
    expect(t.body.triage.engine).toBe(`model-${firstModel}+keywords-1`);
  });

  it('retrains after enough operator corrections, and an admin can go back to the earlier model', async () => {
    c.ctx.city.triage.model.retrain_after_labels = 2;
    const numbers: string[] = [];
    for (const text of ['Грузовой подъемник тоқтап қалды', 'Мусорные баки переполнены неделю, Сыганак 10']) {
      const r = await c.api('/api/v1/phone-appeals', { token: operator, body: { text } });
      numbers.push(r.body.number);
    }
    for (const [i, number] of numbers.entries()) {
      const t = await c.api(`/api/v1/tickets/${number}`, { token: operator });
      const category = i === 0 ? 'LIFT' : 'WAST';
      const r = await c.api(`/api/v1/tickets/${number}/actions`, {
        token: operator,
        body: { action: 'assign', organisation: 'dept-housing', category, version: t.body.version },
      });
      expect(r.status).toBe(200);
    }
    const second = await waitFor('a second model', async () => {
      const m = await c.api('/api/v1/triage/models', { token: operator });
      return m.body.models.length >= 2 ? m.body : undefined;
    });
    expect(second.models[0].reason).toMatch(/new operator labels/);
    expect(second.models[0].sources.operator).toBeGreaterThanOrEqual(1);

    const back = await c.api(`/api/v1/triage/models/${firstModel}/activate`, { token: admin, method: 'POST', body: {} });
    expect(back.status).toBe(200);
    expect(back.body.engine).toBe(`model-${firstModel}+keywords-1`);
    const now = await c.api('/api/v1/triage/models', { token: operator });
    expect(now.body.active.id).toBe(firstModel);
    expect(now.body.models.filter((m: { active: boolean }) => m.active)).toHaveLength(1);
    expect((await c.api('/api/v1/triage/models/999999/activate', { token: admin, method: 'POST', body: {} })).status).toBe(404);
  });
});
