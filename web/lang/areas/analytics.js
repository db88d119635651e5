// Strings of the analytics shell (the tabs' own strings are in analytics-<tab>.js).
export default {
  ru: {
    'nav.analytics': 'Аналитика',
    'analytics.title': 'Аналитика: что пишут жители',
    'analytics.tabs': 'Разделы аналитики',
    'analytics.login': 'Аналитика доступна сотрудникам центра.',
    'analytics.login.link': 'Войти',
    'analytics.forbidden': 'У вашей роли нет доступа к аналитике.',
  },
  kk: {
    'nav.analytics': 'Талдау',
    'analytics.title': 'Талдау: тұрғындар не жазады',
    'analytics.tabs': 'Талдау бөлімдері',
    'analytics.login': 'Талдау орталық қызметкерлеріне қолжетімді.',
    'analytics.login.link': 'Кіру',
    'analytics.forbidden': 'Сіздің рөліңізге талдау қолжетімсіз.',
  },
  en: {
    'nav.analytics': 'Analytics',
    'analytics.title': 'Analytics: what residents write',
    'analytics.tabs': 'Analytics sections',
    'analytics.login': 'Analytics is for the centre’s staff.',
    'analytics.login.link': 'Sign in',
    'analytics.forbidden': 'Your role has no access to analytics.',
  },
};
