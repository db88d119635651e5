// Generated complaints in Russian, Kazakh and code-switched text, and paraphrase variants of them, for the
// duplicate tests and bench/duplicates.ts. Seeded, so every run sees the same texts. Synthetic: the figures it
// yields rank settings against each other; they are not a measure of accuracy on the city's real posts.
import { splitmix32 } from './minhash.js';

export type Rng = () => number; // uniform in [0, 1)

export function rng(seed: number): Rng {
  const next = splitmix32(seed);
  return () => next() / 2 ** 32;
}

export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

export const STREETS = [
  'Кенесары',
  'Туран',
  'Мангилик Ел',
  'Кабанбай батыра',
  'Республики',
  'Абая',
  'Сарыарка',
  'Достык',
  'Сыганак',
  'Акмешит',
  'Бейбитшилик',
  'Иманова',
  'Желтоксан',
  'Богенбай батыра',
  'Сейфуллина',
  'Кошкарбаева',
  'Момышулы',
  'Улы Дала',
  'Жумабаева',
  'Ауэзова',
  'Пушкина',
  'Московская',
  'Тауелсиздик',
  'Орынбор',
  'Сауран',
  'Керей Жанибек',
];

// Problems per category: several wordings per language, so two complaints of one category are not copies.
const PROBLEMS: Record<string, { ru: string[]; kk: string[] }> = {
  WATR: {
    ru: ['нет холодной воды', 'прорвало трубу в подвале, вода хлещет', 'отключили воду без предупреждения', 'из крана течет ржавая вода'],
    kk: ['суық су жоқ', 'жертөледе құбыр жарылды, су ағып жатыр', 'ескертусіз суды өшірді', 'краннан тот басқан су ағады'],
  },
  HEAT: {
    ru: ['в квартире холодно, батареи ледяные', 'нет отопления', 'отопление не включили, дети мерзнут'],
    kk: ['пәтерде суық, батареялар мұздай', 'жылу жоқ', 'жылуды қоспады, балалар тоңып жатыр'],
  },
  ELEC: {
    ru: ['нет света во всем доме', 'постоянно мигает свет и выбивает пробки', 'отключили электричество'],
    kk: ['бүкіл үйде жарық жоқ', 'жарық үнемі жыпылықтайды', 'электр қуатын өшірді'],
  },
  LIFT: {
    ru: ['не работает лифт', 'лифт застрял между этажами', 'лифт стоит уже неделю'],
    kk: ['лифт істемейді', 'лифт қабаттар арасында тұрып қалды', 'лифт бір апта бойы тұр'],
  },
  WAST: {
    ru: ['мусор не вывозят, контейнеры переполнены', 'во дворе свалка мусора', 'мусоровоз не приезжает'],
    kk: ['қоқыс шығарылмайды, контейнерлер толы', 'аулада қоқыс үйіндісі', 'қоқыс көлігі келмейді'],
  },
  ROAD: {
    ru: ['огромная яма на дороге', 'разбитый асфальт во дворе', 'провал асфальта у подъезда'],
    kk: ['жолда үлкен шұңқыр бар', 'аулада асфальт бұзылған', 'подъезд алдында асфальт ойылып кетті'],
  },
  SNOW: {
    ru: ['двор не чистят от снега', 'на тротуаре гололед, люди падают', 'снег не убирают третий день'],
    kk: ['аулада қар тазаланбайды', 'тротуарда көктайғақ, адамдар құлап жатыр', 'қар үш күн бойы тазаланбайды'],
  },
  LGHT: {
    ru: ['не горят фонари во дворе', 'на улице темно, нет освещения'],
    kk: ['аулада шамдар жанбайды', 'көшеде қараңғы, жарық жоқ'],
  },
  SEWR: {
    ru: ['засор канализации, воняет в подъезде', 'канализация течет в подвал'],
    kk: ['кәріз бітеліп қалды, подъезде сасық иіс', 'кәріз жертөлеге ағып жатыр'],
  },
};
export const CATEGORIES = Object.keys(PROBLEMS);

const OPENINGS = {
  ru: ['Здравствуйте!', 'Добрый день.', 'Помогите!', '', '', ''],
  kk: ['Сәлеметсіз бе!', 'Қайырлы күн.', 'Көмектесіңіздер!', '', '', ''],
};
const DURATIONS = {
  ru: ['уже 3 дня', 'со вчерашнего вечера', 'вторую неделю', 'с утра', ''],
  kk: ['3 күн болды', 'кешеден бері', 'екі апта болды', 'таңертеңнен бері', ''],
};
const CLOSINGS = {
  ru: ['Примите меры.', 'Сколько можно ждать?', 'Куда звонить?', '', ''],
  kk: ['Шара қолданыңыздар.', 'Қашанға дейін күтеміз?', '', ''],
};
export const EXTRA_WORDS = [
  'срочно',
  'пожалуйста',
  'опять',
  'снова',
  'жители',
  'ужас',
  'тез арада',
  'өтінеміз',
  'әлі',
  'народ',
  'сколько можно',
  'кошмар',
];
const EMOJI = ['😡', '🙏', '‼️', '😢', '🤬', '💧', '🔥', '👎'];

export interface Complaint {
  text: string;
  category: string;
  street: string;
  house: number;
  lang: 'ru' | 'kk' | 'mixed';
}

export function addressText(street: string, house: number, lang: 'ru' | 'kk'): string {
  return lang === 'ru' ? `ул. ${street}, д. ${house}` : `${street} көшесі, ${house} үй`;
}

/**
 * One complaint; `fixed` pins category/street/house/language (e.g. fifty posts about one pipe);
 * `mentionAddress: false` leaves the address out of the text, as when a resident shares a location instead.
 */
export function complaint(r: Rng, fixed: Partial<Omit<Complaint, 'text'>> & { mentionAddress?: boolean } = {}): Complaint {
  const category = fixed.category ?? pick(r, CATEGORIES);
  const street = fixed.street ?? pick(r, STREETS);
  const house = fixed.house ?? 1 + Math.floor(r() * 120);
  const lang = fixed.lang ?? pick(r, ['ru', 'ru', 'kk', 'mixed'] as const);
  const p = PROBLEMS[category] as { ru: string[]; kk: string[] };
  const main = lang === 'mixed' ? (r() < 0.5 ? 'ru' : 'kk') : lang;
  const other = main === 'ru' ? 'kk' : 'ru';
  const where = r() < 0.5 ? addressText(street, house, main) : `${street} ${house}`;
  const parts = [pick(r, OPENINGS[main]), pick(r, p[main]), fixed.mentionAddress === false ? '' : where, pick(r, DURATIONS[main])];
  // Code-switched posts add a phrase in the other language ("нет воды, су жоқ").
  if (lang === 'mixed') parts.push(pick(r, p[other]));
  parts.push(pick(r, CLOSINGS[main]));
  return { text: parts.filter(Boolean).join(' '), category, street, house, lang };
}

const KK_TO_RU_KEYS: Record<string, string> = { ә: 'а', ғ: 'г', қ: 'к', ң: 'н', ө: 'о', ұ: 'у', ү: 'у', һ: 'х', і: 'и' };
const LETTERS = 'абвгдежзийклмнопрстуфхцчшщыэюя';

function typo(r: Rng, word: string): string {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(r() * (word.length - 2));
  const kind = Math.floor(r() * 4);
  if (kind === 0) return word.slice(0, i) + word.slice(i + 1); // dropped letter
  if (kind === 1) return word.slice(0, i) + word[i] + word.slice(i); // doubled letter
  if (kind === 2) return word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1); // swapped pair
  return word.slice(0, i) + pick(r, [...LETTERS]) + word.slice(i + 1); // wrong key
}

export type Variation = 'order' | 'typos' | 'extra' | 'emoji' | 'kkKeys' | 'codeSwitch' | 'case' | 'punct';
export const VARIATIONS: Variation[] = ['order', 'typos', 'extra', 'emoji', 'kkKeys', 'codeSwitch', 'case', 'punct'];

export function vary(r: Rng, text: string, how: Variation, category = 'WATR'): string {
  const words = text.split(' ').filter(Boolean);
  switch (how) {
    case 'order': {
      for (let k = 0; k < 2 && words.length > 1; k++) {
        const i = Math.floor(r() * (words.length - 1));
        [words[i], words[i + 1]] = [words[i + 1] as string, words[i] as string];
      }
      return words.join(' ');
    }
    case 'typos': {
      const n = 1 + Math.floor(r() * 2);
      for (let k = 0; k < n; k++) {
        const i = Math.floor(r() * words.length);
        words[i] = typo(r, words[i] as string);
      }
      return words.join(' ');
    }
    case 'extra': {
      const n = 1 + Math.floor(r() * 2);
      for (let k = 0; k < n; k++) words.splice(Math.floor(r() * (words.length + 1)), 0, pick(r, EXTRA_WORDS));
      return words.join(' ');
    }
    case 'emoji':
      return `${words.join(' ')} ${pick(r, EMOJI)}${pick(r, EMOJI)}`.replace(/^/, r() < 0.5 ? `${pick(r, EMOJI)} ` : '');
    case 'codeSwitch': {
      // The same problem said again in the other language, as code-switching writers do.
      const p = PROBLEMS[category] ?? (PROBLEMS['WATR'] as { ru: string[]; kk: string[] });
      const kk = /[әғқңөұүһі]/.test(text);
      return `${text} ${pick(r, kk ? p.ru : p.kk)}`;
    }
    case 'kkKeys':
      return text.replace(/[әғқңөұүһі]/g, (c) => KK_TO_RU_KEYS[c] ?? c);
    case 'case':
      return r() < 0.5 ? text.toUpperCase() : text.toLowerCase();
    case 'punct':
      return text.replace(/[.,!?]/g, '').replace(/ /g, () => (r() < 0.2 ? ', ' : r() < 0.1 ? '!!! ' : ' '));
  }
}

/** A paraphrase: two or three different variations applied one after the other. */
export function paraphrase(r: Rng, c: { text: string; category?: string | null }): { text: string; how: Variation[] } {
  const how: Variation[] = [];
  const n = r() < 0.5 ? 2 : 3;
  while (how.length < n) {
    const v = pick(r, VARIATIONS);
    if (!how.includes(v)) how.push(v);
  }
  return { text: how.reduce((t, v) => vary(r, t, v, c.category ?? undefined), c.text), how };
}
