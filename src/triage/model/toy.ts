// A small separable history in Russian, Kazakh (Cyrillic and Latin) and English, shared by the model's tests.
import { rng } from './random.js';

const CLASSES: Record<string, string[]> = {
  water: ['нет воды', 'нет горячей воды', 'су жоқ', 'ыстық су жоқ', 'sý joq', 'no water', 'no hot water', 'труба течет', 'құбыр ағып жатыр'],
  power: ['нет света', 'отключили электричество', 'жарық жоқ', 'электр жоқ', 'jaryq joq', 'power outage', 'no electricity', 'лампочка не горит'],
  road: [
    'яма на дороге',
    'разбитый асфальт',
    'жолда шұңқыр',
    'жол бұзылған',
    'jolda shuńqyr',
    'pothole on the road',
    'broken asphalt',
    'дорога разбита',
  ],
};
const FILLERS = ['', 'уже третий день', 'үшінші күн', 'third day', 'в доме 12', '12 үйде', 'please help', 'срочно', 'көмектесіңіз', 'здравствуйте,'];

export function toyHistory(perClass = 40, seed = 7): { text: string; label: string }[] {
  const random = rng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(random() * a.length)] as T;
  const out: { text: string; label: string }[] = [];
  for (const [label, phrases] of Object.entries(CLASSES))
    for (let i = 0; i < perClass; i++) out.push({ text: `${pick(FILLERS)} ${pick(phrases)} ${pick(FILLERS)}`.trim(), label });
  return out;
}
