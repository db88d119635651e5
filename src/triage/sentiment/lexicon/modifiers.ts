// Words that change the sentiment words near them, in every language Qala reads. Negators before a word ("не",
// "not") flip the next sentiment word within three words of the same clause; Kazakh and Russian also negate after
// ("жақсы емес", "проблем нет"). "нет", "жоқ" and "no" carry a weight of their own when they negate nothing, since
// "нет воды" and "су жоқ" are complaints. Intensifiers scale the next sentiment word; after a contrast word ("но",
// "бірақ", "but") what follows counts more than what came before. Markers the triage normaliser leaves for emoji
// ("__emoji_anger__") are read as words too.
import { type Entry, modifiers, words } from './define.js';

export const MARKERS: Entry[] = [...words(-1, 'emoji_anger emoji_sad'), ...words(1, 'emoji_thanks emoji_happy')];

export const MODIFIERS: Entry[] = [
  ...modifiers(
    'negate',
    0,
    "не ни not never don't doesn't didn't isn't wasn't aren't weren't can't cannot couldn't won't wouldn't haven't hasn't ne",
  ),
  ...modifiers('negate', -0.3, 'no without'),
  ...modifiers('negateAfter', 0, 'емес emes'),
  ...modifiers('negateAfter', -0.6, 'жоқ joq jok zhok'),
  ...modifiers('negateBoth', -0.6, 'нет net'),
  ...modifiers(
    'intensify',
    1.5,
    'очень оч крайне совсем абсолютно вообще слишком сильно реально ' +
      'very really so totally extremely absolutely completely utterly incredibly too',
  ),
  ...modifiers('intensify', 1.5, 'өте тым аса нағыз мүлде мүлдем әбден қатты шынымен ote tym nagyz multe muldem qatty katty'),
  ...modifiers('intensify', 1.3, 'такой такая такое такие так просто большое большой огромн* such көп үлкен kop ulken'),
  ...modifiers('intensify', 0.6, 'немного чуть слегка довольно slightly somewhat kinda аздап сәл azdap'),
  ...modifiers('contrast', 1.5, 'но однако зато but however бірақ алайда birak biraq'),
];
