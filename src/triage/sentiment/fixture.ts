// Hand-written city messages with the sentiment a reader would give them: the judge's check on real-looking
// appeals (KazSAnDRA is shop and app reviews). Written before the lexicon, and not edited to suit it.
// Rule used for the labels: a reported fault or a grievance is negative even without emotional words; a question
// or a plain request is neutral; thanks or praise is positive.
import type { Sentiment } from '../types.js';

export interface FixtureMessage {
  text: string;
  language: 'ru' | 'kk' | 'en' | 'mixed';
  expected: Sentiment;
}

const ru = (text: string, expected: Sentiment): FixtureMessage => ({ text, language: 'ru', expected });
const kk = (text: string, expected: Sentiment): FixtureMessage => ({ text, language: 'kk', expected });
const en = (text: string, expected: Sentiment): FixtureMessage => ({ text, language: 'en', expected });
const mx = (text: string, expected: Sentiment): FixtureMessage => ({ text, language: 'mixed', expected });

export const CITY_MESSAGES: FixtureMessage[] = [
  ru('Спасибо большое, быстро починили лифт в нашем подъезде!', 'positive'),
  ru('Благодарю коммунальщиков за оперативную работу, свет дали через час', 'positive'),
  ru('Молодцы! Двор убрали, стало чисто и красиво', 'positive'),
  ru('Отличная работа акимата, дорогу наконец-то отремонтировали', 'positive'),
  ru('Выражаю благодарность бригаде, которая устранила прорыв ночью', 'positive'),
  ru('Всё работает, спасибо за помощь', 'positive'),
  ru('Безобразие! Третий день нет горячей воды на Кенесары 40', 'negative'),
  ru('Сколько можно?! Опять не вывезли мусор, вонь на весь двор', 'negative'),
  ru('Ужас, яма на дороге огромная, уже две машины пробили колёса', 'negative'),
  ru('Лифт не работает вторую неделю, пожилые люди не могут выйти из дома', 'negative'),
  ru('ОТВРАТИТЕЛЬНО. НИКТО НЕ РЕАГИРУЕТ НА ЗАЯВКИ', 'negative'),
  ru('Не спасибо вам за такую "уборку", снег так и лежит', 'negative'),
  ru('Жалоба: во дворе не горят фонари, темно и страшно ходить', 'negative'),
  ru('Подскажите, пожалуйста, когда будет плановое отключение воды?', 'neutral'),
  ru('Прошу сообщить график вывоза мусора по улице Абая', 'neutral'),
  ru('Куда обращаться по поводу перерасчёта за отопление?', 'neutral'),
  ru('Здравствуйте, хотим предложить установить скамейки в сквере', 'neutral'),
  ru('Не плохо, но могли бы и раньше сделать', 'neutral'),
  kk('Рахмет! Жарық тез қосылды, жұмысшыларға алғыс', 'positive'),
  kk('Көшені жөндегендеріңізге көп рахмет, керемет болды', 'positive'),
  kk('Аула таза, балалар алаңы әдемі, жарайсыңдар!', 'positive'),
  kk('Үш күннен бері ыстық су жоқ, қашан береді?', 'negative'),
  kk('Лифт істемейді, қарттар үйден шыға алмай отыр', 'negative'),
  kk('Қоқыс шығарылмай жатыр, иісі жаман, масқара!', 'negative'),
  kk('Жол өте нашар, шұңқыр көп, ешкім жөндемейді', 'negative'),
  kk('Су құбыры жарылды, подвалды су басып жатыр', 'negative'),
  kk('Суды қашан өшіреді? Кестесін айтып жіберіңізші', 'neutral'),
  kk('Жылу бойынша қайда жүгінуге болады?', 'neutral'),
  kk('Rahmet, jaryq berildi, bári jaqsy', 'positive'),
  kk('Úlken rahmet, jol óte jaqsy boldy!', 'positive'),
  kk('su joq ush kun boldy, qashan beredi', 'negative'),
  kk('lift istemeidi, nashar, eshkim kelmeidi', 'negative'),
  kk('Avtobus kestesi qandai? Aityp jiberińizshi', 'neutral'),
  kk('Jaman jagdai, kóshede jaryq joq', 'negative'),
  en('Thank you so much for fixing the streetlight so quickly!', 'positive'),
  en('Great job, the park looks clean and beautiful now', 'positive'),
  en('The crew was very helpful and polite, appreciate it', 'positive'),
  en('The road is still not repaired, this is ridiculous', 'negative'),
  en('No hot water for three days again. Terrible service!', 'negative'),
  en('Garbage has not been collected for a week, it smells awful', 'negative'),
  en('Nobody answers the hotline, I am sick of waiting', 'negative'),
  en('Not happy at all with how my complaint was handled', 'negative'),
  en('When will the heating be turned on in our building?', 'neutral'),
  en('Please tell me the schedule for the bus route 12', 'neutral'),
  en('I would like to suggest adding a bike lane on Abay avenue', 'neutral'),
  en('Not bad, the pothole was patched', 'positive'),
  mx('Рахмет большое, свет дали быстро', 'positive'),
  mx('Спасибо, жарық қосылды, керемет', 'positive'),
  mx('Су жоқ опять, сколько можно уже', 'negative'),
  mx('Лифт істемейді третий день, ужас', 'negative'),
  mx('Подскажите, су қашан болады?', 'neutral'),
  mx('Okay rahmet, all good now', 'positive'),
  mx('Vody net tretii den, bezobrazie', 'negative'),
  mx('Жарық жоқ, really annoying', 'negative'),
  mx('Hello, кестесі бар ма графика вывоза?', 'neutral'),
  ru('<p>Спасибо за <b>оперативный</b> ремонт!</p>', 'positive'),
  ru('Всё плохо. Вода ржавая, напор слабый', 'negative'),
  ru('Хорошо, что хоть кто-то ответил, но проблема не решена', 'negative'),
  en('Thanks for nothing, the leak is still there', 'negative'),
  kk('Жақсы емес, жұмыс сапасы төмен', 'negative'),
];
