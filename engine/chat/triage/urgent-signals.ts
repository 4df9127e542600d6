/**
 * The symptom lexicon of the patient-mode safety triage: each signal is a set of phrasings, written
 * against `normalizeMessage` output (lower case, "can not", "do not", "i am", misspellings fixed),
 * that names a life-threatening symptom or thoughts of self-harm. A signal matches wherever its
 * phrase appears; whether that mention is current (and so triggers) is decided by the cues in
 * `mention-status.ts`, not here. `requires` is a second pattern the whole message must also
 * contain (a stiff neck is urgent with a fever; bleeding is urgent in pregnancy).
 *
 * Patterns are compiled once at load, use only bounded repetition, and never look at more than
 * the message they are given.
 */
export type UrgentReason = 'URGENT_SYMPTOM' | 'SELF_HARM';

export interface UrgentSignal {
  /** Stable id of the kind of symptom ("chest_pain"); safe for metrics, never message text. */
  id: string;
  reason: UrgentReason;
  pattern: RegExp;
  requires?: RegExp;
}

/** Words that may sit between a verb and its object ("my", "his left", "the whole"). */
const WHOSE = '(?:(?:my|his|her|their|the|one|left|right|both|whole|entire|a|an) )*';
/** Auxiliaries and adverbs between a body part and what is wrong with it ("is suddenly all"). */
const AUX = '(?:(?:is|are|was|were|has|have|had|been|feels?|felt|looks?|seems?|went|gone|goes|got|become|became|getting|started|starting|keeps?|suddenly|just|all|very|really|so|completely|totally|now|still|also|a bit|kind of|sort of) )*';
const NOT_TREATMENT = '(?! to (?:the )?(?:treatment|therapy|medicines?|medications?|meds|tablets?|antibiotics|drugs?|insulin|chemo\\w*))';

function phrases(...alternatives: string[]): RegExp {
  return new RegExp(`\\b(?:${alternatives.join('|')})\\b`, 'g');
}

const SIGNALS: UrgentSignal[] = [
  // Self-harm first: it wins when a message has both.
  { id: 'suicidal_thoughts', reason: 'SELF_HARM', pattern: phrases(
    'suicid(?:e|al|ality)', 'kill(?:ing)? myself', 'end(?:ing)? (?:my|it) (?:own )?life', 'end(?:ing)? it all', 'end(?:ing)? everything',
    'tak(?:e|ing) my (?:own )?life', 'finish(?:ing)? myself', 'finish(?:ing)? my life',
    '(?:want|wanted|wanting|plan|planning|planned|thinking of|thinking about|going|ready|trying|tried|decided|deserve) to die',
    'feel(?:ing)? like dying', 'want to be dead', 'wish (?:i was|i were|to be) dead', 'wish i (?:could|would) (?:just )?(?:die|disappear|not wake up|never wake up)',
    'wish i (?:did|would) not wake up', 'better off (?:dead|without me)', '(?:do not|no longer|never) want to (?:be here|be alive|live|exist|wake up)',
    '(?:do not|can not) see (?:any |a |the )?(?:reason|point) (?:to|in|of) (?:live|living|going on|carrying on|being alive|life)',
    '(?:nobody|no one|no body) would (?:miss me|care if i (?:died|was gone|were gone))', '(?:everyone|everybody|they|my family) would be better off',
    'had enough of (?:life|living|everything|it all)', '(?:sick|tired) of (?:living|being alive)',
    'do not want to (?:go|carry) on(?= anymore| any more| living| like this|$|[,.!?])', '(?:do not|no longer) (?:feel like|see the point (?:in|of)) (?:living|going on|being alive|life)',
    'no (?:reason|point|use|sense) (?:to|in|of)? ?(?:live|living|going on|carrying on|being alive)', 'not worth living', 'tired of (?:living|life|being alive)',
    'can not (?:go|carry) on (?:anymore|any more|like this|living)', 'no will to live', 'hang(?:ing)? myself',
    'jump(?:ing)? (?:off|from) (?:a|the) (?:bridge|building|roof|terrace|cliff|train)', 'throw(?:ing)? myself (?:off|in front of|under)',
    'slit(?:ting)? my wrists?', '(?:thoughts? (?:of|about)|thinking (?:of|about)|want to|going to|plan(?:ning)? to|decided to) end(?:ing)? it(?: all)?',
    'what is the point (?:of|in) (?:living|going on|life|being alive|carrying on)', '(?:sleep|go to sleep) and (?:never|not) wake up', 'on purpose to (?:die|end it)', 'better (?:if i was|if i were|that i) (?:dead|gone|not here|not alive)',
  ) },
  { id: 'self_harm', reason: 'SELF_HARM', pattern: phrases(
    'self[ -]?harm(?:ing|ed)?', 'harm(?:ing|ed)? myself', 'cutting myself', 'burning myself',
    '(?:want|wanting|going|thinking (?:of|about)|urges?|feel like|thoughts? of|tempted|tried) (?:to )?(?:hurt|harm|cut|burn|hurting|harming|cutting|burning) myself',
    '(?:hurt|cut|burnt|burned) myself (?:again|on purpose|deliberately)', 'cutting again',
    '(?:took|taken|swallowed|take|taking) (?:\\w+ ){0,4}on purpose',
  ) },
  { id: 'chest_pain', reason: 'URGENT_SYMPTOM', pattern: phrases(
    'chest (?:pain|ache|aches|aching|pressure|tightness|tight|heaviness|heavy|discomfort|uneasiness|hurts?|hurting|paining|squeezing|crushing|burning|pounding)',
    `(?:pain|ache|aching|pressure|tightness|heaviness|discomfort|uneasiness|squeezing|crushing|weight|band|burning|hurting)(?: feeling| sensation)? (?:in|on|across|around|over|at|of) ${WHOSE}(?:(?:centre|center|middle|left side|left) of (?:my |the )?)?chest`,
    `chest ${AUX}(?:tight|heavy|painful|sore|crushed|squeezed|paining|hurting|pressured|like (?:something|someone|an elephant))`,
    'tight chest', 'heart (?:pain|is paining|paining|hurts|is hurting)', 'pain in (?:my |the )?heart', 'he?a?rt attack', 'cardiac arrest',
    'angina attack', 'elephant (?:sitting |standing )?on (?:my|his|her) chest',
    `pain (?:radiating|spreading|going|shooting|moving|travell?ing) (?:up )?(?:to|into|down|up) ${WHOSE}(?:arms?|jaw|neck)`,
  ) },
  { id: 'breathing', reason: 'URGENT_SYMPTOM', pattern: phrases(
    'can not (?:breathe?|breath|get (?:my |enough )?(?:breath|air)|catch (?:my|his|her) breath)(?! (?:through|out of|from|via) (?:my |the |one |his |her )?(?:nose|nostrils?))',
    '(?:unable|not able|struggling|hard|difficult|hard work|fighting) (?:to|for) (?:breathe?|breath|catch (?:my|his|her) breath|air)(?! (?:through|out of|from|via) (?:my |the |one |his |her )?(?:nose|nostrils?))',
    '(?:difficulty|trouble|problems?|struggling|struggle|laboured|labored|fighting|hard) (?:in |with )?breathing',
    'breathing (?:difficulty|difficulties|trouble|problems?|issues?|is (?:very |really |so )?(?:difficult|hard|laboured|labored|noisy|fast|shallow))',
    'gasping(?: for (?:air|breath))?', 'air hunger', 'choking(?! on (?:how|the (?:price|cost)|laughter|my words))', 'no pulse',
    '(?<!did )(?:not|stopped|has stopped|stop) breathing',
    '(?:severe|sudden|extreme|very bad|really bad|terrible|serious|worsening|acute|bad) (?:shortness of breath|breathlessness|short of breath|sob)',
    '(?:very|really|so|extremely|badly|severely|suddenly|too|getting more|more and more) (?:short of breath|breathless|out of breath)',
    '(?:short of breath|shortness of breath|breathless|breathlessness|out of breath) (?:at rest|while resting|lying (?:down|flat)|even (?:at rest|sitting|resting|when resting|talking|lying)|(?:is )?getting worse|is worse|suddenly|and (?:can not|unable to|could not) (?:talk|speak))',
    `(?:lips|face|fingers?|skin|baby|child) ${AUX}(?:turning |turned |going |gone )?(?:blue|grey|gray)(?! (?:eyes|shirt|dress|colou?r|pill|tablet|inhaler))`, 'blue lips',
  ) },
  { id: 'stroke_signs', reason: 'URGENT_SYMPTOM', pattern: phrases(
    '(?<!heat |sun |brush )stroke(?! of (?:luck|genius)|s? (?:clinic|unit|nurse|team|ward|rehab\\w*|prevention|risk))', 'mini[ -]?stroke', '(?:a|an|another|having|had|my|his|her|the|suspected|possible|this) tia', 'brain attack',
    'brain (?:bleed|haemorrhage|hemorrhage)',
    `face ${AUX}(?:drooping|droopy|drooped|dropping|dropped|fallen|falling|sagging|saggy|numb|twisted|crooked|lopsided|uneven|paraly[sz](?:ed|is)|weak|one[ -]sided)`,
    '(?:drooping|droopy|sagging|twisted|crooked|lopsided) (?:face|mouth|smile)', 'face droop',
    `(?:one side|half|side) of ${WHOSE}(?:face|body|mouth) ${AUX}(?:drooping|droopy|dropped|dropping|numb|weak|paraly[sz]ed|dead|fallen|not moving|can not move)`,
    `mouth ${AUX}(?:drooping|droopy|twisted|crooked|gone to one side|pulled to one side|deviated)`,
    `(?:arm|leg|hand|arms|legs) ${AUX}(?:weak|numb|dead|limp|paraly[sz]ed|not moving|will not move|can not move|useless)`,
    `(?:sudden )?(?:weakness|numbness|paralysis|heaviness) (?:in|of|on|down) ${WHOSE}(?:arms?|legs?|hands?|side|face)`,
    `(?:can not|not able to|unable to|could not) (?:lift|raise|move|feel|use) ${WHOSE}(?:arms?|legs?|hands?|side)`,
    `no (?:strength|power|feeling|sensation|movement) (?:in|on|of) ${WHOSE}(?:arms?|legs?|hands?|side|face)`,
    `lost (?:the )?(?:use|feeling|strength|movement) (?:of|in) ${WHOSE}(?:arms?|legs?|hands?|side)`,
    'slurr(?:ed|ing|y)(?: (?:speech|words|talking|voice))?',
    `speech ${AUX}(?:slurred|slurry|garbled|jumbled|muddled|strange|weird|funny|gone|not making sense)`,
    '(?:can not|unable to|could not|trouble|difficulty|struggling to|problems?) (?:speak|speaking|talk|talking|get (?:my |the |his |her )?words out|find (?:my |the |his |her )?words)(?! to| with| about| on the phone)',
    '(?:not|not able to) (?:speak|speaking|talk|talking)(?: (?:properly|clearly|normally|at all|since))?(?! to| with| about| on the phone)',
    `words ${AUX}(?:coming out )?(?:wrong|jumbled|muddled|garbled|slurred)`, 'talking (?:gibberish|nonsense|funny|strangely)',
    '(?:be )?fast (?:test|signs?|symptoms?|positive|check)', 'stroke fast',
    '(?:worst|most severe|worst ever) headache', 'headache (?:of|in) (?:my|his|her) life', 'thunderclap(?: headache)?',
    'sudden (?:severe |bad |terrible |excruciating |splitting )?headache',
    '(?:severe|excruciating|terrible|splitting) headache (?:came on |started |that came on )?(?:suddenly|all of a sudden|out of nowhere)',
    '(?:suddenly|sudden) (?:very )?confused', 'sudden confusion',
  ) },
  { id: 'vision_loss', reason: 'URGENT_SYMPTOM', pattern: phrases(
    '(?:lost|losing|loss of|lose) (?:my |the |all |his |her )?(?:vision|sight|eyesight)', 'vision loss',
    `(?:vision|sight|eyesight) ${AUX}(?:gone|disappeared|went (?:black|dark|blank|grey|gray|white)|blacked out|greyed out|grayed out|lost)`,
    '(?:went|gone|going|suddenly|is|am) blind', 'blind (?:in|on) (?:one|my|his|her|the|left|right) (?:eye|side)',
    `can not see (?:anything|at all|out of ${WHOSE}eye|(?:from|with|in) ${WHOSE}eye)`,
    `curtain (?:coming |came |come |falling |fell )?(?:down )?(?:over|across|in front of) ${WHOSE}(?:eyes?|vision|sight)`,
    '(?:dark|black|grey|gray) curtain', 'sudden (?:double|blurred|blurry|loss of) vision', '(?:suddenly|sudden) (?:seeing double|double vision)',
  ) },
  { id: 'severe_bleeding', reason: 'URGENT_SYMPTOM', pattern: phrases(
    `(?:bleeding|blood) ${AUX}(?:heavily|heavy|a lot|lots|badly|profusely|everywhere|non[ -]?stop|uncontrollably|like crazy|pouring|gushing|spurting|squirting|will not stop|not stopping|does not stop|is not stopping|has not stopped|would not stop|keeps coming|soaking)`,
    '(?:heavy|severe|massive|uncontrolled|uncontrollable|profuse|major|serious|lot of|lots of|so much|too much|excessive) (?:bleeding|blood loss|blood)(?! (?:tests?|work|sugars?|pressure|reports?|results?|draws?|samples?|counts?|levels?))',
    'losing (?:a lot of |lots of |so much |too much )?blood(?! (?:sugars?|pressure|tests?))',
    'can not stop (?:the |my |his |her )?bleeding', '(?:will not|would not|does not|is not) stop bleeding', 'stop the bleeding',
    'soaked (?:through )?(?:with|in) blood', 'soaking (?:through )?(?:pads?|towels?)', 'ha?emorrhag(?:e|ing)',
  ) },
  { id: 'gi_bleeding', reason: 'URGENT_SYMPTOM', pattern: phrases(
    '(?:vomiting|vomited|vomit|vomits|throwing up|threw up|puking|puked|spitting up|spat up|coughing up|coughed up|coughing|been sick|being sick|was sick|sick) (?:up )?(?:with )?(?:some |a lot of |lots of |fresh |bright red |dark |red )?(?:blood|bloody)(?! (?:pressure|sugars?|tests?|counts?|reports?|results?|levels?|works?))',
    'blood (?:in|with) (?:my |the |his |her )?(?:vomit|sick|sputum|spit|phlegm)',
    '(?:sick|vomit(?:ed|ing)?|threw up|throwing up|puked)(?: \\w+){0,5} (?:blood in (?:it|the bowl|the sink|the toilet)|(?:it|vomit|sick) (?:had|has|with) blood)', '(?:bloody|blood) vomit(?:ing)?', 'blood vomiting',
    'coffee[ -]?grounds?', 'ha?ematemesis', 'ha?emoptysis', 'mela?ena',
    'black (?:and )?(?:tarry |tar like |tar-like |sticky )?(?:stools?|poos?|poops?|motions?|faeces|feces|bowel movements?)',
    `(?:stools?|poos?|poops?|motions?|faeces|feces|bowel movements?) ${AUX}(?:look |looks |turned |like )?(?:black|tarry|like tar|tar)`, 'tarry stools?',
    `(?:passing|passed|lot of|lots of|fresh) blood (?:from|in|with|out of) ${WHOSE}(?:back passage|bottom|bum|rectum|anus|stools?|motions?|poo)`,
  ) },
  { id: 'pregnancy_bleeding', reason: 'URGENT_SYMPTOM', requires: /\b(?:pregnan\w*|weeks? gone|expecting a baby|antenatal|trimester|(?:i am|she is|wife is) \d{1,2} (?:weeks|months)(?! old))\b/, pattern: phrases(
    '(?<!(?:gums?|nose) (?:are |is |keep |keeps )?)bleeding(?! (?:gums?|nose))', 'spotting', 'passing (?:blood|clots)', 'blood (?:from|coming from|down) (?:my |the )?(?:vagina|down there|private parts)', 'losing blood',
  ) },
  { id: 'pregnancy_emergency', reason: 'URGENT_SYMPTOM', pattern: phrases(
    `baby ${AUX}(?:not moving|stopped moving|moving less|not kicking|stopped kicking|less active)`, 'miscarriage', 'miscarrying', 'ectopic',
  ) },
  { id: 'anaphylaxis', reason: 'URGENT_SYMPTOM', pattern: phrases(
    'anaphyla(?:xis|ctic)(?! (?:kit|plan|training))',
    `(?:throat|tongue|lips?|face|mouth|airway|eyes) ${AUX}(?:swelling|swollen|swelled|puffed up|puffing up|closing(?: up)?|tight|tightening|blowing up|ballooning)`,
    `swelling (?:of|in|on|around) ${WHOSE}(?:throat|tongue|lips?|face|mouth)`, 'swollen (?:throat|tongue|lips?|face)',
    '(?:can not|unable to|difficulty|trouble|hard to) (?:swallow|swallowing)(?! (?:tablets?|pills?|capsules?|the (?:tablets?|pills?|capsules?)|big|large))',
    '(?:severe|serious|bad|major|massive|strong|life threatening) allergic reaction', 'allergic reaction',
    '(?:use|used|using) (?:my|his|her|the|an) (?:epi ?pen|adrenaline (?:pen|auto[ -]?injector))', '(?:need|needs|give (?:him|her)) (?:an |my |his |her |the )?epi ?pen',
    'hives all over', 'covered in hives',
  ) },
  { id: 'seizure', reason: 'URGENT_SYMPTOM', pattern: phrases(
    '(?<!anti[ -]?)seizures?(?!(?: |-)(?:medications?|medicines?|meds|tablets?|drugs?|diary|clinic|nurse|plan|action plan|threshold|free|control))',
    'seizing', 'convuls(?:ion|ions|ing|ed|e)', '(?:having|had|has|is having|gets|getting|get) (?:a|another|an) fit(?! of)', '(?:having|had|has|gets|getting|get) fits',
    '(?:is|was|been|am|started|keeps|keep) fitting', 'fitting (?:again|now|for|and)', 'epileptic (?:fit|attack|seizure)', 'status epilepticus', 'grand mal',
    'shaking (?:uncontrollably|all over and|and jerking)', 'jerking (?:and|uncontrollably|all over)',
  ) },
  { id: 'loss_of_consciousness', reason: 'URGENT_SYMPTOM', pattern: phrases(
    '(?:passed|passing|pass|passes) out', 'fainted', 'fainting', '(?:feel|feeling|felt|going to|about to) faint', 'faint (?:spells?|episodes?)',
    'black(?:ed|ing)? out', '(?<!(?:power|electricity|electric|light|media|news) )blackouts?', '(?:lost|loss of|losing|lose) consciousness', 'unconscious', 'knocked out', 'collaps(?:ed|ing|e)(?! (?:arch|arches|veins?|discs?|vertebra\\w*|the (?:menu|box|section)))', 'keeled over',
    'went (?:limp|floppy)', 'floppy', 'unresponsive', `(?<!did |was |is )not responding${NOT_TREATMENT}`,
    `(?:will not|does not|is not) respond(?:ing)?${NOT_TREATMENT}`,
    '(?:will not|can not|is not|(?<!did )not|unable to|hard to|difficult to|can not be|could not) (?:wake|waking|woken|wakening|rouse|roused)(?: (?:up|him|her|them|my \\w+))?(?! (?:early|on time|in the mornings?|for (?:work|school|college|office)))',
    'funny turn', 'hit (?:my|his|her|their) head (?:\\w+ ){0,4}(?:vomiting|vomited|confused|drowsy|sleepy)',
  ) },
  { id: 'overdose', reason: 'URGENT_SYMPTOM', pattern: phrases(
    'overdos(?:e|ed|ing)', 'od on',
    '(?:took|taken|swallowed|ate|eaten|injected|gave (?:him|her|them)|had) (?:too many|too much|a lot of|lots of|loads of|all (?:of )?(?:my|his|her|the)|a (?:whole |full )?(?:bottle|packet|pack|strip|box|handful|bunch) (?:of )?|an? (?:entire|whole) (?:bottle|packet|pack|strip|box) of|the whole (?:bottle|packet|pack|strip|box) of|\\d{2,} )(?:\\w+ ){0,3}(?:pills?|tablets?|tabs|capsules?|caps|meds|medicines?|medication|paracetamol|painkillers?|insulin|doses?)',
    '(?:took|taken|swallowed|injected) too (?:many|much)(?! time)', 'overd(?:id|one|o) (?:it )?(?:on |with )?(?:my |the |his |her )?(?:insulin|tablets?|pills?|medicines?|meds|dose|paracetamol)',
    '(?:took|taken|injected|gave (?:him|her)?) ?(?:a |an )?(?:double|extra|two|2|twice the|wrong) (?:dose |doses |shots? |injections? |units )?(?:of )?(?:my |his |her )?insulin',
    '(?:child|son|daughter|baby|toddler|kid|grandson|granddaughter) (?:has |have |may have |might have |accidentally |just )*(?:swallowed|ate|eaten|got into|drank) (?:some |a few |one |all )?(?:of )?(?:my|his|her|the|your|some|\\w+ ?\'s)? ?(?:\\w+ )?(?:pills?|tablets?|medicines?|medication|capsules?|batteries|battery|bleach|detergent|pods)',
    '(?:drank|drunk|swallowed|consumed|took) (?:some )?(?:bleach|poison|pesticide|insecticide|rat poison|kerosene|acid|phenyl|toilet cleaner|weed killer|antifreeze)', 'poisoned', 'poisoning',
  ) },
  { id: 'meningitis_signs', reason: 'URGENT_SYMPTOM', requires: /\b(?:fever\w*|temperature|temp|febrile|hot to touch|burning up|rash|chills|rigors|shivering)\b/, pattern: phrases(
    'stiff neck', `neck ${AUX}(?:stiff|rigid)`, `can not (?:bend|move|touch) ${WHOSE}(?:neck|chin to (?:my |his |her )?chest)`,
  ) },
  { id: 'meningitis', reason: 'URGENT_SYMPTOM', pattern: phrases(
    'meningitis', 'rash (?:that )?(?:does not|did not|will not|is not) (?:fade|go away|disappear|blanch) (?:under|with|when)', 'non[ -]?blanching', 'glass test',
    'sepsis', 'septic shock',
  ) },
  { id: 'severe_abdominal_pain', reason: 'URGENT_SYMPTOM', pattern: phrases(
    '(?:severe|sudden|excruciating|unbearable|terrible|intense|extreme|worst|agoni[sz]ing|crippling|horrible|awful|very bad|really bad|very severe|very much|lot of|lots of) (?:lower |upper )?(?:abdominal|abdomen|stomach|tummy|belly|abdo) (?:pain|ache|cramps?|cramping)',
    `(?:severe|sudden|excruciating|unbearable|terrible|intense|extreme|agoni[sz]ing|very bad|really bad|very much|lot of|lots of) pain in ${WHOSE}(?:lower |upper )?(?:abdomen|stomach|tummy|belly)`,
    `(?:abdominal|abdomen|stomach|tummy|belly) (?:pain|ache) ${AUX}(?:severe|unbearable|excruciating|terrible|agoni[sz]ing|bad|worse|intense)`,
    '(?:stomach|tummy|belly|abdomen) (?:is )?(?:paining|hurting) (?:(?:so|very|really|too) )*(?:badly|much|a lot|bad)',
    '(?:rigid|hard and swollen|board[ -]?like) (?:abdomen|belly|stomach|tummy)', '(?:abdomen|belly|stomach|tummy) (?:is )?(?:rigid|hard as a board)',
  ) },
  { id: 'emergency_help', reason: 'URGENT_SYMPTOM', pattern: phrases(
    '(?:call|calling|ring|get|need|send|sent for|called) (?:for )?(?:an |the )?ambulance',
    'should (?:i|we) (?:go to|call|ring|dial) (?:the )?(?:hospital|a ?& ?e|a and e|er|emergency|casualty|999|911|112|108|102|ambulance)',
    '(?:go|going|take (?:him|her|me|them)) to (?:the )?(?:a ?& ?e|a and e|er|emergency|casualty)(?! (?:department )?(?:appointment|letter|bill|visit last))',
    '(?:this|it) is an emergency', 'medical emergency', 'i (?:think|feel like|feel) i am (?:dying|going to die)', 'i am dying(?! (?:to|for|of))', '(?:need|needs) (?:urgent|emergency) (?:help|care|medical help)',
  ) },
  { id: 'low_blood_sugar', reason: 'URGENT_SYMPTOM', pattern: phrases(
    '(?:very|dangerously|extremely|really) low (?:blood )?(?:sugar|glucose)', '(?:blood )?(?:sugar|glucose) (?:is |was |has gone |went )?(?:very|dangerously|extremely|really) low',
  ) },
];

/** Every signal, self-harm first. */
export function urgentSignals(): readonly UrgentSignal[] {
  return SIGNALS;
}
