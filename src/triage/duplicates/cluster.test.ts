import { describe, expect, it } from 'vitest';
import { DuplicateFinder, type DuplicateItem } from './cluster.js';
import { addressText, complaint, paraphrase, pick, rng } from './generate.js';

const T0 = Date.parse('2025-01-15T06:00:00Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000);
const HOUSE = { lat: 51.165, lon: 71.42 }; // "Кенесары 12" for these tests
/** A point `meters` north-east of HOUSE. */
const near = (meters: number) => ({ lat: HOUSE.lat + meters / 111_195 / Math.SQRT2, lon: HOUSE.lon + meters / (111_195 * 0.6275) / Math.SQRT2 });
const item = (id: string, text: string, hours: number, extra: Partial<DuplicateItem> = {}): DuplicateItem => ({
  id,
  text,
  category: 'WATR',
  at: at(hours),
  ...extra,
});

describe('burst pipe', () => {
  it('puts 36 posts in ru, kk and mixed from phone, Telegram and Instagram about one house over 2 hours in one cluster', () => {
    const r = rng(12);
    const posts: DuplicateItem[] = [];
    const fixed = { category: 'WATR', street: 'Кенесары', house: 12 };
    const district = 'esil'; // filled by triage from the point or the street
    /** Someone repeating an earlier post in their own words, some time after it. */
    const echo = (from: DuplicateItem[]) => {
      const original = pick(r, from);
      const hours = (original.at.getTime() - T0) / 3_600_000;
      return { text: paraphrase(r, original).text, hours: hours + r() * (2 - hours) };
    };
    // Phone calls: the operator types the address into its field; wording and language vary.
    for (let i = 0; i < 10; i++) {
      const c = complaint(r, fixed);
      posts.push(item(`phone${i}`, c.text, r() * 2, { address: addressText('Кенесары', 12, i % 2 ? 'ru' : 'kk'), district }));
    }
    // Telegram: a shared location a few tens of metres off; half name the house too (the address stage finds
    // it), which teaches the finder where the building is; some have no category yet (classifier unsure).
    for (let i = 0; i < 12; i++) {
      const e = i % 3 === 0 ? echo(posts) : { text: complaint(r, fixed).text, hours: r() * 2 };
      const address = i % 2 ? { address: 'Кенесары 12' } : {};
      posts.push(item(`tg${i}`, e.text, e.hours, { ...near(r() * 40), ...address, district, category: i % 3 === 0 ? null : 'WATR' }));
    }
    // Instagram comments under the akimat's post: district only, no category, echoing what others wrote.
    for (let i = 0; i < 8; i++) {
      const e = echo(posts);
      posts.push(item(`ig${i}`, e.text, e.hours, { district, category: null }));
    }
    // Short cross-language calls that share no words with each other.
    for (const [i, text] of ['су жоқ', 'нет воды', 'Су жоқ!!! 😡', 'воды нет вообще', 'суық су жоқ таңертеңнен', 'трубу прорвало'].entries())
      posts.push(item(`short${i}`, text, r() * 2, { address: 'Кенесары 12', district }));
    posts.sort((a, b) => a.at.getTime() - b.at.getTime());

    const finder = new DuplicateFinder();
    let unmatched = 0;
    const merged: string[] = [];
    for (const p of posts) {
      const seen = finder.observe(p);
      if (!seen.match) unmatched++;
      merged.push(...seen.merged);
    }
    expect(posts.length).toBeGreaterThanOrEqual(30);
    expect(new Set(posts.map((p) => finder.clusterOf(p.id)))).toEqual(new Set([finder.clusterOf(posts[0]?.id as string)]));
    // The first Telegram location and the first phone address could not be compared until a post carried
    // both; their two clusters were merged then, and reported so.
    expect(unmatched).toBe(2);
    expect(merged).toHaveLength(1);
  });
});

describe('keeping problems apart', () => {
  it('keeps the same complaint about two buildings on one street apart', () => {
    const finder = new DuplicateFinder();
    finder.observe(item('a', 'Нет холодной воды в доме, прорвало трубу', 0, { address: 'ул. Кенесары, д. 12', ...HOUSE }));
    const b = item('b', 'Нет холодной воды в доме, прорвало трубу', 1, { address: 'ул. Кенесары, д. 40', ...near(250) });
    expect(finder.findMatch(b)).toBeNull();
  });

  it('keeps two different problems at one house apart', () => {
    const finder = new DuplicateFinder();
    finder.observe(item('water', 'нет воды, Кенесары 12', 0, { address: 'Кенесары 12' }));
    expect(finder.findMatch(item('pothole', 'яма у подъезда, Кенесары 12', 1, { address: 'Кенесары 12', category: 'ROAD' }))).toBeNull();
  });

  it('keeps the same text apart when points are beyond the radius', () => {
    const finder = new DuplicateFinder();
    finder.observe(item('a', 'лифт застрял между этажами', 0, { category: 'LIFT', ...HOUSE }));
    expect(finder.findMatch(item('b', 'лифт застрял между этажами', 0.5, { category: 'LIFT', ...near(500) }))).toBeNull();
    expect(finder.findMatch(item('c', 'лифт застрял между этажами!', 0.5, { category: 'LIFT', ...near(200) }))?.why.place).toBe('near');
  });

  it('keeps the same text in another district or outside the time window apart', () => {
    const finder = new DuplicateFinder();
    const text = 'мусор не вывозят, контейнеры переполнены уже неделю';
    finder.observe(item('a', text, 0, { category: 'WAST', district: 'esil' }));
    expect(finder.findMatch(item('b', text, 1, { category: 'WAST', district: 'almaty' }))).toBeNull();
    expect(finder.findMatch(item('c', text, 80, { category: 'WAST', district: 'esil' }))).toBeNull();
    expect(finder.findMatch(item('d', text, 70, { category: 'WAST', district: 'esil' }))?.id).toBe('a');
  });

  it('asks more of the words the less is known of the place', () => {
    const finder = new DuplicateFinder();
    finder.observe(item('a', 'не горят фонари во дворе, темно', 0, { category: 'LGHT' }));
    expect(finder.findMatch(item('b', 'не горят фонари во дворе, темно 😡', 1, { category: null }))?.why.place).toBe('unknown');
    expect(finder.findMatch(item('c', 'во дворе темно', 1, { category: 'LGHT' }))).toBeNull();
  });
});

describe('across languages at one place', () => {
  const ru = item('ru', 'нет воды', 0, { address: 'Кенесары 12' });

  it('matches "нет воды" and "су жоқ" of one category at one house within 6 hours', () => {
    const finder = new DuplicateFinder();
    finder.observe(ru);
    const m = finder.findMatch(item('kk', 'су жоқ', 5, { address: 'Кенесары көшесі, 12 үй' }));
    expect(m?.id).toBe('ru');
    expect(m?.why).toMatchObject({ rule: 'same-place-category', sameAddress: true, sameCategory: true, hoursApart: 5, place: 'same' });
    expect(m?.why.textSimilarity).toBeLessThan(0.1);
  });

  it('matches by points a few metres apart, and not by points a street away', () => {
    const finder = new DuplicateFinder();
    finder.observe(item('ru', 'нет воды', 0, HOUSE));
    expect(finder.findMatch(item('kk', 'су жоқ', 1, near(30)))?.why.rule).toBe('same-place-category');
    expect(finder.findMatch(item('kk2', 'су жоқ', 1, near(150)))).toBeNull();
  });

  it('does not match them after 6 hours, or without a known category', () => {
    const finder = new DuplicateFinder();
    finder.observe(ru);
    expect(finder.findMatch(item('late', 'су жоқ', 7, { address: 'Кенесары 12' }))).toBeNull();
    expect(finder.findMatch(item('nocat', 'су жоқ', 1, { address: 'Кенесары 12', category: null }))).toBeNull();
  });
});

describe('clusters across channels', () => {
  it('compares an address-only call with a location-only post once some post has carried both', () => {
    const finder = new DuplicateFinder();
    finder.observe(item('call', 'нет воды', 0, { address: 'Кенесары 12' }));
    expect(finder.findMatch(item('tg0', 'су жоқ', 0.1, near(20)))).toBeNull();
    finder.observe(item('tg1', 'су жоқ', 0.2, { ...near(5), address: 'Кенесары көшесі 12 үй' }));
    const m = finder.findMatch(item('tg2', 'су жоқ', 0.3, near(20)));
    expect(m?.why.place).toBe('same');
    expect(finder.findMatch(item('tg3', 'нет воды!', 0.3, near(25)))).toMatchObject({ id: 'call', why: { rule: 'text', distanceMeters: 20 } });
  });

  it('prefers a match at the same place to a closer wording known only by district', () => {
    const finder = new DuplicateFinder();
    finder.observe(item('wording', 'вода хлещет из трубы в подвале', 0, { district: 'esil' }));
    finder.observe(item('house', 'су жоқ', 0.5, { address: 'Кенесары 12', district: 'esil' }));
    const m = finder.findMatch(item('new', 'вода хлещет из трубы в подвале', 1, { address: 'Кенесары 12', district: 'esil' }));
    expect(m).toMatchObject({ id: 'house', why: { place: 'same', rule: 'same-place-category' } });
  });

  it('never merges clusters on a district-only match', () => {
    const finder = new DuplicateFinder();
    finder.observe(item('a', 'нет воды', 0, { address: 'Кенесары 12', district: 'esil' }));
    finder.observe(item('b', 'нет воды', 0, { address: 'Туран 37', district: 'esil' }));
    const seen = finder.observe(item('c', 'нет воды', 0.5, { district: 'esil' }));
    expect(seen.match?.why.place).toBe('district');
    expect(seen.merged).toEqual([]);
    expect(finder.clusterOf('a')).not.toBe(finder.clusterOf('b'));
  });
});

describe('index upkeep', () => {
  it('expires items older than the window as time moves on', () => {
    const finder = new DuplicateFinder({ windowHours: 72 });
    finder.observe(item('old', 'нет горячей воды третий день', 0, { address: 'Туран 37', category: 'HOTW' }));
    finder.observe(item('mid', 'батареи холодные', 50, { address: 'Туран 37', category: 'HEAT' }));
    expect(finder.size).toBe(2);
    finder.observe(item('new', 'нет горячей воды третий день', 73, { address: 'Туран 37', category: 'HOTW' }));
    expect(finder.size).toBe(2);
    expect(finder.clusterOf('old')).toBeUndefined();
    expect(finder.clusterOf('new')).toBe('new');
    expect(finder.expire(at(200))).toBe(2);
    expect(finder.size).toBe(0);
  });

  it('answers the same after a rebuild from stored signatures and clusters', () => {
    const r = rng(3);
    const live = new DuplicateFinder();
    const rows: { item: DuplicateItem; signature: string; cluster: string }[] = [];
    for (let i = 0; i < 200; i++) {
      const c = complaint(r, { street: 'Кенесары', house: 1 + (i % 20) });
      const it = item(`a${i}`, c.text, i / 10, { category: c.category, address: `Кенесары ${c.house}` });
      const { cluster } = live.observe(it);
      rows.push({ item: it, signature: live.signature(it.text), cluster });
    }
    const rebuilt = new DuplicateFinder();
    for (const row of rows) rebuilt.add(row.item, row.signature, row.cluster);
    for (let i = 0; i < 50; i++) {
      const c = complaint(r, { street: 'Кенесары', house: 1 + (i % 20) });
      const q = item(`q${i}`, c.text, 20, { category: c.category, address: `Кенесары ${c.house}` });
      expect(rebuilt.findMatch(q)).toEqual(live.findMatch(q));
    }
    expect(rebuilt.clusterOf('a150')).toBe(live.clusterOf('a150'));
  });

  it('is deterministic: one stream, one answer', () => {
    const run = () => {
      const r = rng(21);
      const finder = new DuplicateFinder();
      return Array.from({ length: 300 }, (_, i) => {
        const c = complaint(r, { street: pick(r, ['Туран', 'Абая']), house: 1 + Math.floor(r() * 5) });
        return finder.observe(item(`p${i}`, c.text, i / 50, { category: c.category, address: `${c.street} ${c.house}` }));
      });
    };
    expect(run()).toEqual(run());
  });
});

describe('robustness', () => {
  it('copes with empty text, 50 kB of text, binary junk and broken coordinates', () => {
    const finder = new DuplicateFinder();
    finder.observe(item('empty', '', 0, { category: null }));
    expect(finder.findMatch(item('empty2', '', 0.1, { category: null }))).toBeNull();
    const big = 'вода течет по стенам подъезда '.repeat(1700);
    const t0 = performance.now();
    finder.observe(item('big', big, 0.2, { ...HOUSE }));
    expect(performance.now() - t0).toBeLessThan(500);
    expect(finder.findMatch(item('big2', `${big} ещё`, 0.3, { ...HOUSE }))?.id).toBe('big');
    const junk = `\u0000\ud800${String.fromCharCode(...Array.from({ length: 3000 }, (_, i) => (i * 7919) & 0xffff))}`;
    expect(() => finder.observe(item('junk', junk, 0.4, { lat: Number.NaN, lon: 999, address: junk, district: '' }))).not.toThrow();
    expect(() => finder.observe(item('bad', 'x', Number.NaN))).toThrow(/time/);
  });
});
