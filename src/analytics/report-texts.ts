// The words of the daily digest and of ticket exports, in Kazakh, Russian and English: titles, column headers and
// KPI names shared by the PDF, the XLSX and the CSV, so the three editions say the same thing.
import type { Language } from '../config/schema.js';
import type { Stance } from './stance.js';

export interface ReportTexts {
  title: string;
  subtitle: (city: string, date: string) => string;
  built: (at: string) => string;
  kpis: string;
  kpi: Record<
    | 'received'
    | 'resolved'
    | 'on_time_share'
    | 'open'
    | 'overdue'
    | 'at_risk'
    | 'median_first_response_minutes'
    | 'median_resolution_minutes'
    | 'average_rating'
    | 'reopens',
    string
  >;
  figure: string;
  value: string;
  organisations: string;
  organisationsNote: string;
  overdue: string;
  overdueNote: (shown: number, total: number) => string;
  incidents: string;
  spikes: string;
  spikesNote: string;
  opinion: string;
  opinionNote: (previous: string, current: string) => string;
  opinionTooFew: (previous: number, current: number, min: number) => string;
  stance: Record<Stance, string>;
  /** Whether a change is beyond what the intervals allow: a rise, a fall, or not. */
  opinionFlag: { up: string; down: string; none: string };
  none: string;
  col: {
    rank: string;
    organisation: string;
    number: string;
    status: string;
    category: string;
    district: string;
    urgency: string;
    channel: string;
    language: string;
    created: string;
    deadline: string;
    overdueHours: string;
    incident: string;
    title: string;
    tickets: string;
    opened: string;
    overdueFlag: string;
    window: string;
    observed: string;
    expected: string;
    question: string;
    stance: string;
    previousWeek: string;
    currentWeek: string;
    change: string;
    flag: string;
    voices: string;
    share: string;
    low: string;
    high: string;
    note: string;
  };
  yes: string;
  no: string;
  standingNote: string;
  sheet: { kpis: string; organisations: string; overdue: string; incidents: string; spikes: string; opinion: string; tickets: string };
}

export const REPORT_TEXTS: Record<Language, ReportTexts> = {
  kk: {
    title: 'Күнделікті шолу',
    subtitle: (city, date) => `${city} — ${date}`,
    built: (at) => `Жасалған уақыты: ${at}`,
    kpis: 'Негізгі көрсеткіштер',
    kpi: {
      received: 'Түскен өтініштер',
      resolved: 'Шешілген',
      on_time_share: 'Мерзімінде шешілгені',
      open: 'Ашық (қазір)',
      overdue: 'Мерзімі өткен (қазір)',
      at_risk: 'Мерзімі өтуі мүмкін (қазір)',
      median_first_response_minutes: 'Алғашқы жауапқа дейін, медиана (мин)',
      median_resolution_minutes: 'Шешілгенге дейін, медиана (мин)',
      average_rating: 'Тұрғындардың орташа бағасы',
      reopens: 'Қайта ашылғаны',
    },
    figure: 'Көрсеткіш',
    value: 'Мәні',
    organisations: 'Ұйымдар рейтингі',
    organisationsNote: 'Мерзімі өткен өтініштер саны бойынша; күні бойы жұмысы болған ұйымдар ғана.',
    overdue: 'Мерзімі өткен өтініштер ұйымдар бойынша',
    overdueNote: (shown, total) => (shown < total ? `Барлығы ${total}, көрсетілгені ${shown}; толық тізім XLSX файлында.` : `Барлығы ${total}.`),
    incidents: 'Инциденттер',
    spikes: 'Өтініштердің күрт көбеюі',
    spikesNote: 'Аудан мен санат бойынша әдеттегіден анық көп өтініш түскен кезеңдер.',
    opinion: 'Пікірлердің өзгеруі',
    opinionNote: (previous, current) =>
      `Талдаушылардың әр белсенді сұрағы бойынша әр ұстанымның аудандар халқы бойынша өлшенген үлесі: соңғы 7 күн (${current}) алдыңғы 7 күнмен (${previous}) салыстырылады, жақшада — 95% сенім аралығы. Өзгеріс екі аралық мүмкін ететіннен үлкен болса, белгі қойылады. Бұл сауалнама емес, жазғандардың пікірі.`,
    opinionTooFew: (previous, current, min) =>
      `Салыстыруға хабарлама тым аз: алдыңғы 7 күнде ${previous}, соңғы 7 күнде ${current} тұрғын жазды (әр кезеңде кемінде ${min} керек).`,
    stance: { for: 'Жақтайды', against: 'Қарсы', neutral: 'Бейтарап' },
    opinionFlag: { up: 'иә, өсті', down: 'иә, төмендеді', none: 'жоқ' },
    none: '—',
    col: {
      rank: '№',
      organisation: 'Ұйым',
      number: 'Нөмірі',
      status: 'Күйі',
      category: 'Санат',
      district: 'Аудан',
      urgency: 'Шұғылдығы',
      channel: 'Арна',
      language: 'Тілі',
      created: 'Түскен уақыты',
      deadline: 'Мерзімі',
      overdueHours: 'Кешіккен сағат',
      incident: 'Инцидент',
      title: 'Атауы',
      tickets: 'Өтініштер',
      opened: 'Ашылған уақыты',
      overdueFlag: 'Мерзімі өткен',
      window: 'Кезең',
      observed: 'Байқалған',
      expected: 'Күтілген',
      question: 'Сұрақ',
      stance: 'Ұстаным',
      previousWeek: 'Алдыңғы 7 күн',
      currentWeek: 'Соңғы 7 күн',
      change: 'Өзгеріс, пайыздық тармақ',
      flag: 'Айтарлықтай өзгеріс',
      voices: 'тұрғындар',
      share: 'үлесі, %',
      low: 'төменгі шегі, %',
      high: 'жоғарғы шегі, %',
      note: 'Ескерту',
    },
    yes: 'иә',
    no: 'жоқ',
    standingNote: '«Қазір» деген көрсеткіштер есеп жасалған сәттегі жағдайды көрсетеді.',
    sheet: {
      kpis: 'Көрсеткіштер',
      organisations: 'Ұйымдар',
      overdue: 'Мерзімі өткен',
      incidents: 'Инциденттер',
      spikes: 'Күрт көбею',
      opinion: 'Пікір өзгерісі',
      tickets: 'Өтініштер',
    },
  },
  ru: {
    title: 'Ежедневная сводка',
    subtitle: (city, date) => `${city} — ${date}`,
    built: (at) => `Сформирована: ${at}`,
    kpis: 'Основные показатели',
    kpi: {
      received: 'Поступило обращений',
      resolved: 'Решено',
      on_time_share: 'Решено в срок',
      open: 'Открыто (сейчас)',
      overdue: 'Просрочено (сейчас)',
      at_risk: 'Под угрозой просрочки (сейчас)',
      median_first_response_minutes: 'До первого ответа, медиана (мин)',
      median_resolution_minutes: 'До решения, медиана (мин)',
      average_rating: 'Средняя оценка жителей',
      reopens: 'Переоткрыто',
    },
    figure: 'Показатель',
    value: 'Значение',
    organisations: 'Рейтинг организаций',
    organisationsNote: 'По числу просроченных обращений; только организации, у которых была работа за день.',
    overdue: 'Просроченные обращения по организациям',
    overdueNote: (shown, total) => (shown < total ? `Всего ${total}, показано ${shown}; полный список в файле XLSX.` : `Всего ${total}.`),
    incidents: 'Инциденты',
    spikes: 'Всплески обращений',
    spikesNote: 'Периоды, когда в районе по категории обращений пришло заметно больше обычного.',
    opinion: 'Изменения мнений',
    opinionNote: (previous, current) =>
      `По каждому активному вопросу аналитиков — доля каждой позиции, взвешенная по населению районов: последние 7 дней (${current}) против предыдущих 7 (${previous}), в скобках 95% интервал. Отметка ставится, когда изменение больше, чем допускают оба интервала. Это мнение писавших, а не опрос.`,
    opinionTooFew: (previous, current, min) =>
      `Слишком мало сообщений для сравнения: за предыдущие 7 дней писали ${previous}, за последние 7 дней — ${current} жителей (нужно не меньше ${min} в каждом периоде).`,
    stance: { for: 'За', against: 'Против', neutral: 'Нейтрально' },
    opinionFlag: { up: 'да, рост', down: 'да, снижение', none: 'нет' },
    none: '—',
    col: {
      rank: '№',
      organisation: 'Организация',
      number: 'Номер',
      status: 'Статус',
      category: 'Категория',
      district: 'Район',
      urgency: 'Срочность',
      channel: 'Канал',
      language: 'Язык',
      created: 'Поступило',
      deadline: 'Срок',
      overdueHours: 'Часов просрочки',
      incident: 'Инцидент',
      title: 'Название',
      tickets: 'Обращений',
      opened: 'Открыт',
      overdueFlag: 'Просрочено',
      window: 'Период',
      observed: 'Наблюдалось',
      expected: 'Ожидалось',
      question: 'Вопрос',
      stance: 'Позиция',
      previousWeek: 'Предыдущие 7 дней',
      currentWeek: 'Последние 7 дней',
      change: 'Изменение, п. п.',
      flag: 'Заметное изменение',
      voices: 'жителей',
      share: 'доля, %',
      low: 'нижняя граница, %',
      high: 'верхняя граница, %',
      note: 'Примечание',
    },
    yes: 'да',
    no: 'нет',
    standingNote: 'Показатели «сейчас» — на момент формирования сводки.',
    sheet: {
      kpis: 'Показатели',
      organisations: 'Организации',
      overdue: 'Просроченные',
      incidents: 'Инциденты',
      spikes: 'Всплески',
      opinion: 'Изменения мнений',
      tickets: 'Обращения',
    },
  },
  en: {
    title: 'Daily digest',
    subtitle: (city, date) => `${city} — ${date}`,
    built: (at) => `Built: ${at}`,
    kpis: 'Key figures',
    kpi: {
      received: 'Appeals received',
      resolved: 'Resolved',
      on_time_share: 'Resolved on time',
      open: 'Open (now)',
      overdue: 'Overdue (now)',
      at_risk: 'At risk (now)',
      median_first_response_minutes: 'To first response, median (min)',
      median_resolution_minutes: 'To resolution, median (min)',
      average_rating: "Residents' average rating",
      reopens: 'Reopened',
    },
    figure: 'Figure',
    value: 'Value',
    organisations: 'League table of organisations',
    organisationsNote: 'By overdue tickets; only organisations that had work that day.',
    overdue: 'Overdue tickets by organisation',
    overdueNote: (shown, total) => (shown < total ? `${total} in all, ${shown} shown; the XLSX file has them all.` : `${total} in all.`),
    incidents: 'Incidents',
    spikes: 'Spikes of appeals',
    spikesNote: 'Windows in which a district had clearly more appeals of a category than usual.',
    opinion: 'Opinion changes',
    opinionNote: (previous, current) =>
      `For each active question of the analysts, the share of each stance weighted to the districts' population: the last 7 days (${current}) against the 7 before (${previous}), the 95% interval in brackets. A change is marked when it is larger than both intervals allow. This is the opinion of those who wrote, not a survey.`,
    opinionTooFew: (previous, current, min) =>
      `Too few messages to compare: ${previous} residents wrote in the 7 days before, ${current} in the last 7 days (at least ${min} needed in each).`,
    stance: { for: 'For', against: 'Against', neutral: 'Neutral' },
    opinionFlag: { up: 'yes, up', down: 'yes, down', none: 'no' },
    none: '—',
    col: {
      rank: '#',
      organisation: 'Organisation',
      number: 'Number',
      status: 'Status',
      category: 'Category',
      district: 'District',
      urgency: 'Urgency',
      channel: 'Channel',
      language: 'Language',
      created: 'Received',
      deadline: 'Deadline',
      overdueHours: 'Hours overdue',
      incident: 'Incident',
      title: 'Title',
      tickets: 'Tickets',
      opened: 'Opened',
      overdueFlag: 'Overdue',
      window: 'Window',
      observed: 'Observed',
      expected: 'Expected',
      question: 'Question',
      stance: 'Stance',
      previousWeek: 'The 7 days before',
      currentWeek: 'Last 7 days',
      change: 'Change, points',
      flag: 'Beyond the noise',
      voices: 'residents',
      share: 'share, %',
      low: 'lower bound, %',
      high: 'upper bound, %',
      note: 'Note',
    },
    yes: 'yes',
    no: 'no',
    standingNote: 'Figures marked "now" are as of the moment the digest was built.',
    sheet: {
      kpis: 'KPIs',
      organisations: 'Organisations',
      overdue: 'Overdue',
      incidents: 'Incidents',
      spikes: 'Spikes',
      opinion: 'Opinion changes',
      tickets: 'Tickets',
    },
  },
};

/** The KPIs the digest shows, in its order. */
export const DIGEST_KPIS = [
  'received',
  'resolved',
  'on_time_share',
  'open',
  'overdue',
  'at_risk',
  'median_first_response_minutes',
  'median_resolution_minutes',
  'average_rating',
  'reopens',
] as const;
