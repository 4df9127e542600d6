/**
 * Finds the prescriber/author of a note: a name introduced by a signature cue ("Electronically
 * signed by:", "Prescribed by", "Attending:"), a title ("Dr. Jane Smith"), or followed by
 * credentials ("Jane Smith, MD, FACP"); plus NPI and licence numbers stated anywhere. When
 * several candidates appear the best-scored wins (cue > credentials > title; ties go to the
 * later one, since signatures close notes); names after "referred to", "cc:" and the like are
 * demoted because they name someone else.
 */
import type { Prescriber } from '../../../core/clinical/extraction.js';

/** Case-insensitive letters without the `i` flag, so names can still require capitals. */
function ci(s: string): string {
  return s.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`);
}

const CRED_LIST = ['M\\.?D\\.?', 'D\\.?O\\.?', 'MBBS', 'MBChB', 'MB ChB', 'BM BCh', 'BMBS', 'FNP-BC', 'FNP-C', 'FNP', 'NP-C', 'APRN', 'PA-C', 'PA', 'RN', 'DNP', 'PharmD',
  'DDS', 'DMD', 'DPM', 'MRCP(?:\\s?\\(UK\\))?', 'MRCGP', 'FRCP', 'FRCS', 'FRACP', 'FACP', 'FACC', 'FACS', 'FAAFP', 'PhD', 'CNP', 'ANP', 'ARNP', 'CRNP', 'MSN', 'NP', 'OD',
  'MPH', 'MS', 'MSc', 'BSc', 'MA', 'FAAP', 'FCCP', 'FACOG', 'FACEP', 'CNM', 'DC', 'PsyD', 'LCSW', 'RPh'];
const CRED = `(?:${CRED_LIST.join('|')})(?![A-Za-z])`;
const CREDS = `(?<creds>${CRED}(?:[ \\t]*,?[ \\t]*${CRED})*)`;
const WORD = "[A-Z][A-Za-z'’]+(?:-[A-Z][A-Za-z'’]+)?";
const INITIAL = '[A-Z]\\.?(?![A-Za-z])';
const NAME = `(?<name>(?!${CRED})${WORD}(?:[ \\t]+(?!${CRED})(?:${WORD}|${INITIAL})){0,3}|[A-Z]\\.[ \\t]?(?:[A-Z]\\.[ \\t]?)?${WORD})`;
const TITLE = '(?<title>Dr\\.?|Doctor|Prof\\.?|Professor)';
const CUE = `(?<cue>${ci('electronically signed by|e-?signed by|digitally signed by|signed electronically by|signed by|prescribed by|prescriber|prescribing physician|prescribing provider|ordering provider|ordering physician|attending physician|attending|physician|provider|signature|signed|authenticated by|dictated by|clinician|consultant|author|reviewed and signed by|rendering provider|treating physician')})`;

const CUE_RE = new RegExp(`\\b${CUE}[ \\t]*[:\\-]?[ \\t]*(?:${TITLE}[ \\t]+)?${NAME}(?:[ \\t]*,?[ \\t]*${CREDS})?`, 'g');
const TITLE_RE = new RegExp(`\\b${TITLE}[ \\t]+${NAME}(?:[ \\t]*,?[ \\t]*${CREDS})?`, 'g');
const CRED_RE = new RegExp(`(?<![A-Za-z])${NAME}[ \\t]*,?[ \\t]*${CREDS}`, 'g');
const NPI_RE = /\bNPI\b[ \t]*(?:#|no\.?|number|:)?[ \t]*:?[ \t]*(\d{10})\b/i;
const LICENSE_RE = /\b(?:medical licen[cs]e|state licen[cs]e|licen[cs]e|lic\.?|GMC|registration|reg\.?)[ \t]*(?:#|no\.?|number|num\.?)?[ \t]*:?[ \t]*(?=[A-Z0-9-]*\d)([A-Z]{0,3}-?\d[A-Z0-9-]{2,14})\b/i;
/** Cues that the name after them is someone else (within the same clause, a few words on: "Referred to cardiology (Dr. Patel)"). */
const DEMOTE_RE = /(?:refer(?:red|ral|ring)?(?: (?:to|by))?|f\/u with|follow(?:-| )?up with|cc:?|copy to|copied to|discussed with|discussed (?:the )?case with|consult(?:ed)?(?: with)?|per|see|seen by|examined by|reviewed by|spoke (?:to|with)|d\/w|message to|letter to|dear|sent to|appointment with|appt with)(?![A-Za-z])[^!?]{0,32}$/i;
/** A closing line before a signature ("Many thanks,\nDr A. Kowalski"). */
const CLOSING_RE = /(?:thanks|thank you|regards|sincerely|yours(?: faithfully| sincerely| truly)?|best wishes|with best wishes)[ \t]*[,.!]?[ \t]*\r?\n[ \t]*$/i;
/** "Signed by PATEL, RAJ MD": the surname and comma written before a "FIRST MD" candidate. */
const SURNAME_BEFORE = /(?<![A-Za-z])([A-Z][A-Za-z'’-]+),[ \t]*$/;
const CRED_ONLY = new RegExp(`^${CRED}$`);
/** Job titles written where a name would stand ("Consultant Cardiologist"). */
const JOB_TITLE = /(?:ologist|ician|iatrist|surgeon|registrar|specialist|hospitalist|intensivist|an(?:a)?esthetist|pharmacist|consultant|fellow|resident|intern)$/i;

const STOP = new Set(['The', 'Patient', 'Pt', 'Date', 'Time', 'Name', 'Signature', 'Signed', 'Office', 'Clinic', 'Hospital', 'Department', 'Medical', 'Medicine',
  'Center', 'Centre', 'Internal', 'Family', 'Physician', 'Consultant', 'Doctor', 'Provider', 'Nurse', 'Practitioner', 'Surgeon', 'Resident',
  'Attending', 'Cardiology', 'Pediatrics', 'Paediatrics', 'Surgery', 'Psychiatry', 'Neurology', 'Oncology', 'General', 'Practice', 'Emergency', 'Registrar', 'Team', 'Note', 'Plan', 'Assessment', 'Follow', 'Return', 'Take', 'On', 'At', 'By', 'And', 'For', 'Electronically', 'History', 'Today', 'He', 'She']);

interface Candidate { p: Prescriber; score: number }

/** Returns the note's prescriber, or null when no credible name is found. Never throws. */
export function findPrescriber(text: string): Prescriber | null {
  const cands: Candidate[] = [];
  const len = text.length || 1;
  const collect = (re: RegExp, base: number): void => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const g = m.groups ?? {};
      let name = cleanName(g.name ?? '');
      let from = m.index;
      // "PATEL, RAJ MD": a surname before the comma completes a credentialed name (checked only here, per candidate).
      if (name && g.creds && !g.title && !g.cue) {
        const sur = SURNAME_BEFORE.exec(text.slice(Math.max(0, m.index - 30), m.index));
        if (sur && !STOP.has(sur[1]!) && !JOB_TITLE.test(sur[1]!) && !CRED_ONLY.test(sur[1]!)) {
          name = `${name.split(' ').map((w) => (/^[A-Z]$/.test(w) ? `${w}.` : nameCase(w))).join(' ')} ${nameCase(sur[1]!)}`;
          from = m.index - sur[0].length;
        }
      }
      if (!name) { if (m[0].length === 0) re.lastIndex++; continue; }
      const creds = g.creds ? g.creds.split(/[\s,]+/).filter(Boolean).map((c) => c.replace(/\./g, '')).filter((c, i, a) => a.indexOf(c) === i) : [];
      let score = base + (creds.length > 0 ? 0.1 : 0) + (g.title ? 0.05 : 0) + (from < m.index ? 0.15 : 0) + 0.05 * (m.index / len);
      const before = text.slice(Math.max(0, from - 48), from);
      // Only the clause before the name can demote it: test that short piece, not the whole window.
      const clause = before.slice(Math.max(before.lastIndexOf('.'), before.lastIndexOf(';'), before.lastIndexOf('\n')) + 1);
      if (!g.cue && clause.length > 1 && DEMOTE_RE.test(clause)) score -= 0.4;
      if (before.includes('\n') && CLOSING_RE.test(before)) score += 0.25;
      let end = m.index + m[0].length;
      while (end > m.index && /[\s,]/.test(text[end - 1]!)) end--;
      cands.push({
        score,
        p: {
          text: text.slice(from, end),
          name,
          title: g.title ? normaliseTitle(g.title) : null,
          credentials: creds,
          license: null,
          npi: null,
          span: { start: from, end },
          confidence: 0,
        },
      });
    }
  };
  collect(CUE_RE, 0.8);
  collect(TITLE_RE, 0.55);
  collect(CRED_RE, 0.7);
  if (cands.length === 0) return null;
  let best = cands[0]!;
  for (const c of cands) if (c.score > best.score || (c.score === best.score && c.p.span.start > best.p.span.start)) best = c;
  if (best.score < 0.5) return null;
  const npi = NPI_RE.exec(text);
  const lic = LICENSE_RE.exec(text);
  return { ...best.p, npi: npi?.[1] ?? null, license: lic?.[1] ?? null, confidence: Math.min(0.95, Math.round(best.score * 100) / 100) };
}

/** "PATEL" → "Patel"; mixed-case names stay as written. */
function nameCase(w: string): string {
  return /[a-z]/.test(w) ? w : w.charAt(0) + w.slice(1).toLowerCase();
}

function normaliseTitle(t: string): string {
  return /^prof/i.test(t) ? 'Prof' : 'Dr';
}

function cleanName(raw: string): string | null {
  const words = raw.trim().split(/[ \t]+/);
  // Drop trailing words that are credentials or section words swallowed by the pattern.
  while (words.length > 0 && (STOP.has(words[words.length - 1]!) || JOB_TITLE.test(words[words.length - 1]!) || /^(MD|DO|NP|PA|RN)$/.test(words[words.length - 1]!))) words.pop();
  if (words.length === 0 || STOP.has(words[0]!) || JOB_TITLE.test(words[0]!)) return null;
  const name = words.join(' ');
  if (name.length < 2 || /^[A-Z]\.?$/.test(name)) return null;
  return name;
}
