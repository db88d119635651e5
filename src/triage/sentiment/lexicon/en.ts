// English sentiment words of city appeals, written for Qala (not taken from a published lexicon). Weights as in ru.ts.
import { type Entry, words } from './define.js';

const positive: Entry[] = [
  ...words(2.5, 'thank_you_so_much thank_you_very_much thanks_a_lot many_thanks'),
  ...words(
    2,
    'thank* thx grateful appreciat* excellent awesome amazing wonderful fantastic perfect* brilliant superb ' +
      'outstanding well_done good_job great_job kudos bravo',
  ),
  ...words(1.5, 'great love* lovely pleased satisfied impressed impressive all_good works_now working_now'),
  ...words(
    1,
    'good nice helpful polite kind friendly professional* beautiful happy glad prompt* efficient* fixed repaired ' +
      'resolved solved restored best enjoy* comfortable convenient no_problem*',
  ),
  ...words(0.5, 'quick quickly fast clean cleaned better safe patched okay ok'),
];

const negative: Entry[] = [
  ...words(
    -2,
    'terrible awful horrible horrendous disgusting disgrace* ridiculous outrageous unacceptable shameful pathetic ' +
      'incompetent worst furious nightmare scam sucks hate* sick_of fed_up thanks_for_nothing',
  ),
  ...words(
    -1.5,
    'shame useless rude filth* stink* stench annoy* angry frustrat* disappoint* upset tired_of ignor* chaos chaotic ' +
      "not_work* doesn't_work* don't_work* isn't_work* stopped_work* no_response liars waste_of",
  ),
  ...words(
    -1,
    'bad badly poor* broken dirty dangerous unsafe scary lazy worse fail* mess messy joke lies freezing nobody ' +
      'no_one how_long out_of_order no_answer unresolved still_waiting',
  ),
  ...words(-0.7, 'leak* flood* pothole* still again damage* complain* for_#_day* for_#_week* for_#_month* for_days for_weeks for_months'),
  ...words(-0.5, 'problem* smell* cold dark noisy noise crack* waiting_for'),
  ...words(-0.3, 'issue* waiting'),
];

export const EN: Entry[] = [...positive, ...negative];
