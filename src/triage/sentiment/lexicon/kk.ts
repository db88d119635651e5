// Kazakh sentiment words of city appeals, in Cyrillic and in the Latin forms residents type (official 2018/2021
// letters fold to plain ones, so "jaqsy", "jaksy" and "zhaksy" are listed; "жақсы" also matches "жаксы"), written for
// Qala. Weights as in ru.ts. Negation in Kazakh follows the word ("жақсы емес", "су жоқ"), see modifiers.ts; verbs
// negated by their suffix ("істемейді", "келмеді") are caught by a suffix rule in scan.ts.
import { type Entry, words } from './define.js';

const positive: Entry[] = [
  ...words(
    2,
    'рахмет* рақмет* рахмат* алғыс* керемет* тамаша* жарайсың* жарайсыз* бәрекелді ' +
      'rahmet* rakhmet* raxmet* raqmet* rahmat* algys* alghys* keremet* tamasha* jaraisyn* jaraysyn* zharaisyn*',
  ),
  ...words(1.5, 'ұна* риза* unad* unaid* unayd* unap* unagan* riza* ризамыз ризамын бәрі_жақсы bari_jaqsy bari_jaksy'),
  ...words(
    1,
    'жақсы* мықты күшті кушты әдемі* таза сапалы ыңғайлы жөнделді жөндеді* жөндеге* шешілді шешті шешілген ' +
      'көмектесті* қуандым қуанып* қуаныштымыз сәттілік өкінбе* ' +
      'jaqsy* jaksy* jaksi* zhaksy* zhaqsy* mykty myqty kushti kuwti ademi* taza sapaly yngaily ingaily ynghaily ' +
      'jondeldi zhondeldi jondedi shesildi',
  ),
  ...words(0.5, 'тез жылдам қосылды тазалы* денсаулық tez jyldam qosyldy kosyldy tazaly*'),
  ...words(1, 'жарық_берілді су_берілді жылу_берілді jaryq_berildi jaryk_berildi su_berildi jylu_berildi'),
];

const negative: Entry[] = [
  ...words(
    -2,
    'масқара масқарасы сұмдық* ұят* қорқыныш* masqara maskara sumdyq* sumdyk* uyat* qorqynysh* korkynysh* ' +
      'қашанға_дейін qashanga_deiin kashanga_deiin qashanga_deyin',
  ),
  ...words(
    -1.5,
    'нашар* жаман* істемей* сапасыз шаршад* жалықт* ұнама* ' +
      'nashar* jaman* zhaman* istemei* istemey* sapasyz sharshad* jalyqt* jalykt* zhalykt* unama*',
  ),
  ...words(
    -1,
    'лас ласы ластық* ластан* сасық* бұзыл* жанбай* ешкім ренжі* өкініш* қиналып* қиналд* қауіпті жарылд* ' +
      'су_бас* тоңып* тоңамыз тоңдық дұрыс_емес сай_емес мүмкін_емес күннен_бері аптадан_бері айдан_бері ' +
      'әлі_күнге_дейін ' +
      'sasyq* sasyk* buzyl* janbai* zhanbai* eshkim renji* okinish* qauipti kauipti jaryld* zharyld* su_bas* ' +
      'durys_emes mumkin_emes kunnen_beri aptadan_beri aidan_beri',
  ),
  ...words(
    -0.7,
    'шұңқыр* ешқашан тағы тағыда қиын* шағым* апат* ағып_жатыр қараңғы күн_болды ' +
      'shunqyr* shunkyr* eshqashan eshkashan tagy tagyda taghy qiyn* kiyn* shagym* apat* qarangy karangy kun_boldy',
  ),
  ...words(-0.5, 'мәселе* суық қымбат* masele* suyq suyk qymbat* kymbat*'),
  ...words(-0.3, 'қашан qashan kashan'),
];

export const KK: Entry[] = [...positive, ...negative];
