/**
 * Clause-level cues that change what a symptom mention means, written against
 * `normalizeMessage` output. Each is a precompiled pattern tested once per clause (or once per
 * message for the recurrence cues). See `detect-urgent.ts` for how they combine.
 */

/** The symptom is happening now or started recently: it overrides history, record and general framing. */
export const CURRENT = new RegExp('\\b(?:' + [
  'now', 'currently', 'at (?:the )?moment', 'atm', 'today', 'tonight', 'this (?:morning|afternoon|evening|week)', 'last night', 'yesterday',
  'since (?:yesterday|last|this|morning|evening|afternoon|night|today|tonight|then|an?|one|two|three|few|a few|couple|\\d|monday|tuesday|wednesday|thursday|friday|saturday|sunday|hours?|minutes?|days?|i woke|waking|i got up)', 'still', 'again', 'keeps?', 'keeping', 'started', 'starting', 'suddenly', 'sudden', 'all of a sudden', 'getting worse', 'got worse', 'worse',
  'worsening', 'for the (?:last|past)', '(?:minutes?|mins?|hours?|hrs?|seconds?) ago', 'am having', 'is having', 'are having', 'been having',
  'happening', 'please help', 'need help', 'help me now', 'someone help', 'urgent', 'urgently', 'emergency', 'right away', 'asap',
].join('|') + ')\\b');

/** The episode was recent enough that its having passed does not make it safe ("this morning, it went away"). */
export const RECENT = new RegExp('\\b(?:' + [
  'today', 'tonight', 'this (?:morning|afternoon|evening)', 'last night', 'yesterday', 'just now', 'earlier today', 'earlier',
  '(?:a few|few|couple of|a couple of|an|a|\\d+|one|two|three|five|ten|twenty|thirty) (?:minutes?|mins?|hours?|hrs?|seconds?) ago', 'right now', 'an hour',
].join('|') + ')\\b');

/** The mention is about the past, long enough ago that it is history, not an emergency. */
export const REMOTE = new RegExp('\\b(?:' + [
  'last (?:year|month|summer|winter|spring|autumn|fall|christmas|diwali|eid|decade)',
  '(?:a|one|two|three|four|five|six|seven|eight|nine|ten|few|several|many|couple of|\\d+) (?:years?|months?|yrs?|decades?) (?:ago|back|before|earlier)',
  'years ago', 'months ago', 'long (?:time )?ago', 'ages ago', 'years back', 'in (?:19|20)\\d\\d', 'back in (?:the day|\\d{4})',
  'as a (?:child|kid|baby|teenager|teen|boy|girl)', 'when i was (?:young|younger|little|a child|a kid|a teenager|a baby|at school|in school|pregnant|\\d+)',
  'in (?:my )?childhood', 'in the past', 'previously', 'used to', 'history of', 'h/o', 'hx of', 'past history', 'medical history',
  'at (?:the )?age (?:of )?\\d+',
].join('|') + ')\\b');

/**
 * General knowledge, hypotheticals and family history: "what are the signs of a stroke?",
 * "what should I do if I get chest pain?", "my father died of a heart attack".
 */
export const GENERAL = new RegExp('\\b(?:' + [
  'what (?:are|is|were) (?:the )?(?:\\w+ )?(?:signs?|symptoms?|causes?|risks?|chances?|warning signs?|red flags?|treatments?|types?)',
  'what does an? (?:\\w+ ){1,3}(?:feel|look|sound) like', 'how long (?:does|do|can) an? ', 'signs of', 'symptoms of', 'warning signs', 'red flags?', 'what (?:is|are) an?(?= )', 'meaning of', 'definition of',
  'how (?:do|can|would|should|will|could) (?:i|you|we|one|people|someone|anyone) (?:know|tell|recogni[sz]e|spot|identify|prevent|avoid|reduce|lower)',
  'how to (?:recogni[sz]e|spot|prevent|avoid|reduce|know|tell|identify)',
  'if i (?:ever )?(?:get|develop|start|experience|notice|see|ever have)', 'if (?:he|she|they|someone|somebody|a person|my \\w+) (?:ever )?(?:gets?|develops?|starts?)',
  'in case (?:of|i)', 'in the event', 'what (?:should|do|would|can) (?:i|we|you) do (?:if|when|in case)', 'what to do (?:if|when|in case)',
  'when (?:should|do) (?:i|we|you) (?:call|go|seek|get help|worry|phone)', 'should i worry if', 'what happens (?:if|when|in|during)',
  'risk', 'risks', 'chances? of', 'prevent', 'prevention', 'preventing', 'family history', 'runs? in (?:my |the |our )?famil(?:y|ies)',
  '(?:father|mother|dad|mum|mom|grandfather|grandmother|grandpa|grandma|granddad|grandad|nana|nani|dadi|dada|uncle|aunt|aunty|auntie|brother|sister|cousin|parents?)(?: \\w+)? (?:died|passed away|was diagnosed)',
  'died (?:of|from|after|with|due to)', 'passed away', 'leaflet', 'article', 'read about', 'reading about', 'heard about', 'learn about', 'learning about',
  'if (?:my |the |it |this |that |symptoms? )?(?:\\w+ ){0,3}(?:comes? back|returns?|happens? again|gets? worse|recurs?|starts? again)',
  'told (?:me|us|him|her) to (?:go|call|come|ring|phone|dial)', 'will (?:it|this|that|the \\w+(?: \\w+)?|my \\w+(?: \\w+)?) (?:make|cause|give) (?:me|him|her)',
  'my (?:dog|cat|puppy|kitten|pet|horse|parrot|rabbit)', 'information (?:on|about)', 'how common', 'is it common', 'statistics', 'first aid (?:for|course)', 'training',
].join('|') + ')\\b');

/** Care that has already happened ("why was I admitted with chest pain?", "when was my stroke?"). */
export const PAST_CARE = /\b(?:admitted|hospitali[sz]ed|discharged|treated|operated|stented|recovery|recovering|rehab\w*|caring for|look(?:ing)? after|when (?:did|was) (?:i|my|he|she|his|her))\b/;

const RECORD_NOUN = /\b(?:reports?|letters?|discharge|summary|summaries|notes?|records?|files?|documents?|scans?|x-?rays?|xray|mri|ct|ecg|ekg|echo|angiograms?|angiography|results?|tests?|investigations?|blood work|bloods|appointments?|clinic|follow[- ]?ups?|visits?|consultations?|referrals?|prescriptions?|cardiologist|neurologist|consultant|specialist|doctor|dr|gp|physician|surgeon|admission|diagnosis|ultrasound|biopsy|eeg|chart)\b/;
const RECORD_VERB = /\b(?:say|says|said|show|shows|showed|shown|mention|mentions|mentioned|write|wrote|written|noted|recorded|documented|find|found|diagnosed|conclude|concluded|confirm|confirmed|when (?:is|was|are|were|did|will)|what (?:date|time|day)|book|booked|booking|schedule|scheduled|reschedule|rebook|cancel|cancelled|canceled|due|next|last|upcoming|copy|send|sent|print|download|read|list|listed|where (?:is|are|can)|in my (?:records?|notes?|file|chart))\b/;

/** A question about the record or the schedule ("what did the scan show about my stroke?"). */
export function isRecordQuestion(clause: string): boolean {
  return RECORD_NOUN.test(clause) && RECORD_VERB.test(clause);
}

/**
 * A symptom came back or is happening now, said in a clause of its own ("it came back",
 * "I think I'm having one now"): it revives every mention in the message.
 */
export const RECURRENCE = new RegExp('\\b(?:' + [
  'came back', 'has come back', 'have come back', 'coming back again', '(?<!(?:results?|reports?|scans?|tests?|bloods|letters?|documents?) )(?:is|are) back',
  'started again', 'starting again', 'happening again', 'back again', 'again now', 'returned', 'recurred',
  'now i (?:do|have (?:it|them|one|that|this|the same)|am having (?:it|one|them))', 'i (?:have|get|feel) (?:it|them|this|that) (?:now|again|right now)', 'having (?:it|one|them|another one|another) (?:now|again|right now)',
  'i think i am having (?:one|it|another)', '(?:feels?|felt|looks?) like (?:this|that) (?:now|right now|today)', 'having another one', 'it is happening (?:now|again|right now)', 'until (?:now|today|tonight|this morning)',
].join('|') + ')\\b');

/** A clause that only says the symptom before it has gone ("It went away after a day."). */
export const PRONOUN_RESOLVED = /^(?:and )?(?:it|that|this|they|which|all that|everything|the pain|the bleeding|the symptoms?|the episode)(?: (?:has|have|had|was|is|all|completely|totally|fully|then|soon|eventually|slowly|finally|quickly|gradually|just|did|since|also))* (?:went away|gone away|go away|gone|disappeared|resolved|settled(?: down)?|cleared(?: up)?|stopped|subsided|passed|ended|healed|got better and went away)\b/;
