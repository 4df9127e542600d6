/**
 * Patient-mode safety triage, part two: is the patient asking for a diagnosis ("do I have
 * cancer?", "what's wrong with me?") or for a treatment decision ("should I stop taking my
 * warfarin?", "can I double my insulin?", "should I take more metformin")? Those go to the
 * patient's doctor, never to retrieval or a model. Questions about what the record says stay
 * allowed: "what dose of warfarin am I on?", "when was my last HbA1c?", "what did the scan
 * show?", "what is my diagnosis?" (what the doctor wrote), "when should I take my metformin?" and
 * "can I take it with food?" (what the prescription says), and questions about appointments.
 *
 * Pure string code over `normalizeMessage` output, precompiled patterns, no model.
 */
import { normalizeMessage, splitClauses } from './normalize-message.js';

export type DecisionReason = 'DIAGNOSIS_REQUEST' | 'TREATMENT_DECISION';

export interface DecisionFinding {
  reason: DecisionReason;
}

const KIN = '(?:son|daughter|child|baby|husband|wife|mother|father|mum|mom|dad|partner)';
/** "should I", "is it safe to", "I am thinking of", … : what comes before a treatment verb. */
const ASKING = [
  `(?:should|shall|can|could|may|must|would) (?:i|we|he|she|they|my ${KIN})`,
  '(?:is|would) it (?:be )?(?:ok|okay|safe|fine|alright|all right|bad|dangerous|wise|a good idea|better|harmful|risky|possible|necessary) (?:to|if i|for me to|that i)',
  'do i (?:need|have) to', '(?:am i|are we) (?:allowed|supposed|meant|ok|okay|safe|able) to',
  'i (?:want|wish|would like|plan|am planning|am going|intend|need|have decided|decided) to', 'thinking (?:of|about)', 'how (?:do|can|should|would) i',
  '(?:ok|okay|safe|fine) (?:to|for me to)',
].join('|');
const VERB = [
  'stop(?:ping)?', 'start(?:ing)?', 'restart(?:ing)?', 'resum(?:e|ing)', 'skip(?:ping)?', 'miss(?:ing)?', 'doubl(?:e|ing)', 'tripl(?:e|ing)',
  'increas(?:e|ing)', 'decreas(?:e|ing)', 'reduc(?:e|ing)', 'lower(?:ing)?', 'rais(?:e|ing)', 'up', 'halv(?:e|ing)', 'cut(?:ting)? (?:down|back)(?: on)?',
  'cut(?:ting)?', '(?:come|coming|go|going|get|getting) off', '(?:go|going|switch|switching) back (?:on|to)', 'quit(?:ting)?', 'hold(?:ing)?', 'paus(?:e|ing)', 'switch(?:ing)?', 'chang(?:e|ing)',
  'swap(?:ping)?', 'continu(?:e|ing)', 'keep (?:taking|using|on)', 'carry on (?:taking|using)', 'stay(?:ing)? on', 'tak(?:e|ing)', 'us(?:e|ing)', 'try(?:ing)?',
  'crush(?:ing)?', 'split(?:ting)?', 'chew(?:ing)?', 'break(?:ing)?', 'mix(?:ing)?', 'combin(?:e|ing)', 'inject(?:ing)?', 'giv(?:e|ing)', 'adjust(?:ing)?',
  'alter(?:ing)?', 'modify(?:ing)?', 'wean(?:ing)? off', 'taper(?:ing)?', '(?:drink|have|eat)(?=(?: \\w+){0,2} (?:alcohol|wine|beer|grapefruit|liquor|spirits|whisky|whiskey))',
].join('|');
const TREATMENT_ASK = new RegExp(`\\b(?:${ASKING}) (?:(?:still|just|now|really|safely|also|actually|then|go ahead and|please) )*(${VERB})\\b(.{0,80})`);

/** Objects that make a "can I change/take/start …" question about the service, not treatment. */
const ADMIN_OBJECT = new RegExp('^ (?:(?:my|the|a|an|another|this|that|your|some|me|\\w+\'s) )*(?:(?:next|video|online|phone|follow[- ]?up|repeat|clinic|new) )*' +
  '(?:appointments?|booking|visits?|slots?|time|date|password|email|address|phone|number|doctors?|gp|clinic|pharmacy|pharmacist|hospital|consultations?|calls?|' +
  'video|chat|session|forms?|app|account|portal|documents?|letters?|reports?|copy|copies|records?|reminders?|notifications?|alerts?|messages?|subscription|' +
  'language|settings|name|details|information|info|consent|feedback|taxi|bus|cab|train|car|day off|break|photo|picture|leave|holiday|vacation|shower|bath|walk|look|seat|carer|caregiver)\\b');
/** "take my metformin with food", "use the inhaler before breakfast": what the prescription says. */
const AS_PRESCRIBED = /^ (?:it|them|this|these|those|my (?:\w+ ){0,3}?\w+|the (?:\w+ ){0,2}?\w+)(?: (?:tablets?|pills?|dose|doses|medicines?))? (?:with|without|before|after|on an empty|at|in the|during|together with|alongside)(?: or (?:with|without|before|after))? (?:food|meals?|breakfast|lunch|dinner|supper|bed|bedtime|night|morning|evening|empty stomach|milk|water|a glass|\d)/;
/** "should I take my blood pressure at home?": a measurement, not a medicine. */
const MEASUREMENT = /^ (?:my |the |a |his |her )?(?:blood pressure|bp|temperature|temp|pulse|blood sugar|sugar|glucose|readings?|weight|oxygen|saturation)(?! (?:tablets?|pills?|medicines?|medications?|meds|drugs?|injections?))/;
const SCHEDULE_ASK = /\b(?:when|what time|at what time|how often|which time|how) (?:should|do|can|shall|must) i (?:take|use|give|have|inject)\b/;
const CHANGES_REGIMEN = /\b(?:instead|more|less|extra|double|twice as|stop|skip|another)\b/;

const TREATMENT = new RegExp('\\b(?:' + [
  'doubl(?:e|ing) (?:up )?(?:on )?(?:my |the |a |his |her )?(?:\\w+ )?(?:dose|doses|insulin|tablets?|pills?|units)',
  `(?:what|which) (?!time |day |days |hour |date )(?:\\w+ ){0,3}(?:should|can|could|must|shall) (?:i|we|he|she|my ${KIN}) (?:take|use|try|give|do|have|start)(?! (?:it|them|my \\w+) (?:with|before|after) (?:food|meals?))`,
  'how (?:much|many) (?:\\w+ ){0,3}(?:should|can|could|may|must) (?:i|we|he|she) (?:take|use|give|have|inject)',
  '(?:do|would|can|could) you (?:recommend|suggest|advise|think i should)', 'what (?:do|would) you (?:recommend|suggest|advise)',
  'your (?:advice|recommendation)', 'advise me', 'what would you do',
  '(?:which|what) (?:is|would be|will be) (?:the )?(?:best|better|right|safest) (?:treatment|medicine|medication|drug|tablet|option|choice|dose|thing to do|painkiller)',
  '(?:which|what) (?:treatment|medicine|medication|drug|tablet|option|painkiller|inhaler|insulin)s? (?:is|are|would be|will be) (?:the )?(?:best|better|right|safest)',
  '(?:is|would) (?:surgery|an operation|the operation|chemo\\w*|radiotherapy|dialysis|insulin|a stent|bypass|physio\\w*|a transplant) (?:be )?(?:better|the (?:best|right) (?:option|choice)|a good (?:idea|option)|necessary|needed|worth it|right for me)',
  'do i (?:really )?(?:need|require) (?:an? |the |any )?(?:surgery|operation|antibiotics?|insulin|stents?|bypass|dialysis|treatment|chemo\\w*|medicines?|medication|tablets?|pills?|injections?|transplant|to (?:see|go to) (?:a |the )?(?:doctor|specialist|hospital))',
  'how (?:do|can|should|to) (?:i )?(?:treat|cure|fix|get rid of|manage|lower|reduce|bring down|control|improve|heal)',
  '(?:is|was) (?:that|this|it) (?:ok|okay|safe|fine|alright|bad|dangerous|a problem) (?:that i |if i )?(?:took|missed|skipped|stopped|doubled|forgot)',
  'i (?:took|missed|skipped|stopped|doubled|forgot)(?: to take)? (?:\\w+ ){0,6}(?:is|was) (?:that|this|it) (?:ok|okay|safe|fine|alright|bad|dangerous|a problem)',
  'what (?:should|do|must|can) (?:i|we) do(?! to (?:book|get|see|change|cancel|register|log|sign|upload|download))',
].join('|') + ')\\b');

const CONDITION = '(?:cancer|cancers|tumou?rs?|diabetes|sugar(?! in)|bp|an? infection|infection|infections|covid|corona|long covid|tb|tuberculosis|dengue|malaria|typhoid|' +
  'hiv|aids|hepatitis|jaundice|heart (?:disease|failure|problems?|condition)|kidney (?:disease|failure|problems?|stones?)|liver (?:disease|failure|problems?)|' +
  'dementia|alzheimer\\w*|parkinson\\w*|multiple sclerosis|ms|arthritis|depression|anxiety|adhd|autism|pneumonia|asthma|copd|thyroid|an? blood clot|blood clots?|' +
  'an? clot|dvt|an? ulcer|ulcers?|an? hernia|hernia|gallstones|stones|lupus|an?a?emia|an?a?emic|high blood pressure|hypertension|high cholesterol|gout|' +
  'an? (?:virus|condition|disease|disorder|syndrome|problem|illness|lump|growth|cyst|std|sti)|stds?|stis?|something (?:wrong|serious|bad)|anything (?:wrong|serious|bad)|' +
  'the same (?:thing|disease|condition|problem)|\\w+(?:itis|oma|osis|aemia|emia|pathy)|leukaemia|leukemia|lymphoma|sepsis|cirrhosis|fatty liver|pcos|pcod|endometriosis)';
const DIAGNOSIS = new RegExp('\\b(?:' + [
  `(?:do|could|might|may) i (?:have|have got|be having) (?:any )?${CONDITION}\\b`, 'do i have (?:it|this|that)(?= *$)', `have i got (?:an? |any )?${CONDITION}\\b`,
  `(?:is|could|might|can|would) (?:it|this|that|these|those)(?: \\w+)? (?:be )?(?:a sign of |a symptom of |due to |caused by |because of |related to |from )?(?:an? )?(?:${CONDITION}|cancerous|malignant|benign|serious|dangerous|contagious|infectious|something serious|life threatening|terminal|curable|treatable|fatal|normal|bad|worrying)\\b`,
  '(?:is|could|might) my (?:\\w+ ){1,2}(?:be )?(?:cancer|cancerous|malignant|benign|serious|dangerous|terminal|spreading|back|contagious|infectious|an? tumou?r|a sign of|a symptom of|caused by|due to)\\b',
  'what is wrong with (?:me|my \\w+|him|her)', 'what do i have', 'what have i got',
  'what (?:disease|condition|illness|infection|problem|sickness|kind of \\w+|type of \\w+) (?:do i have|is (?:it|this|that)|could (?:it|this|that) be|might i have|have i got|am i suffering from)',
  'what (?:is|could be|might be|can be) (?:causing|the cause of|behind|the reason for) (?:my|this|these|it|that)', 'what (?:could|might|can) (?:it|this|that) be',
  'why (?:am i (?!on |taking |prescribed |given |booked |seeing |being seen|scheduled|having (?:an? )?(?:test|scan|appointment|blood test|x-?ray))|do i (?:keep|always|feel|get)|does my \\w+ (?:hurt|ache|pain|itch|swell)|is my (?:\\w+ )?(?:hurting|aching|swollen|paining|itching|bleeding|burning))',
  '(?:can|could) you (?:please )?diagnose', 'diagnose (?:me|my|this|it|him|her)', 'self[ -]?diagnos\\w*',
  '(?:am i|is (?:he|she|my \\w+)) (?:diabetic|pregnant|an?a?emic|dying|going to die|going to be (?:ok|okay|alright|all right|fine)|going to get better|sick|ill|seriously ill|at risk|in danger|healthy|infected|contagious)',
  'how long (?:do i have|have i got|will i live|am i going to live|do i have left)', '(?:what is|what are) my (?:prognosis|life expectancy|chances)',
  'will i (?:die|survive|recover|get better|be (?:ok|okay|cured|fine|alright)|need surgery)', '(?:is|are) (?:it|this|my \\w+) (?:curable|treatable|terminal)',
  'can (?:it|this|my \\w+) be cured', 'should i (?:be )?(?:worried|concerned|worry|panic)', 'is (?:it|this|that) (?:something )?(?:to worry about|worrying|concerning)',
  'how (?:worried|concerned|serious)', 'do you think (?:i|it|this|my|that)', '(?:tell me|let me know) what (?:i have|is wrong|it is)',
  'is (?:it|this|that) normal (?:to|that|for me to|for me)',
].join('|') + ')');

function asksTreatment(clause: string): boolean {
  if (TREATMENT.test(clause)) return true;
  const m = TREATMENT_ASK.exec(clause);
  if (m === null) return false;
  const verb = m[1]!;
  const tail = m[2]!;
  if (ADMIN_OBJECT.test(tail) || MEASUREMENT.test(tail)) return false;
  if (/^(?:tak|us|giv|hav|inject)/.test(verb) && !CHANGES_REGIMEN.test(tail)) {
    if (AS_PRESCRIBED.test(tail) || SCHEDULE_ASK.test(clause)) return false;
  }
  return true;
}

/** What kind of clinical decision the message asks for, or null for an allowed question. */
export function detectClinicalDecisionRequest(message: string): DecisionFinding | null {
  const clauses = splitClauses(normalizeMessage(message));
  if (clauses.some(asksTreatment)) return { reason: 'TREATMENT_DECISION' };
  if (clauses.some((c) => DIAGNOSIS.test(c))) return { reason: 'DIAGNOSIS_REQUEST' };
  return null;
}
