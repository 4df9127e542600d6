/**
 * Word-level view of one clause for the negation and resolution checks: words and list
 * punctuation as tokens, with every symptom mention collapsed into one `SYMPTOM` token so that
 * "no chest pain, fever or vomiting blood" reads as NEG SYMPTOM , fever or SYMPTOM.
 */
export const SYMPTOM = '\u0000symptom';

export interface Span {
  start: number;
  end: number;
}

export interface ClauseTokens {
  tokens: string[];
  /** Token index of each span, in the order given. */
  spanToken: number[];
}

const TOKEN = /[a-z0-9]+(?:'[a-z]+)?|[,/&:]/g;

/** Tokenises `clause`; `spans` must be sorted by start and must not overlap. */
export function clauseTokens(clause: string, spans: readonly Span[]): ClauseTokens {
  const tokens: string[] = [];
  const spanToken: number[] = [];
  let from = 0;
  const words = (text: string): void => {
    for (const m of text.matchAll(TOKEN)) tokens.push(m[0]);
  };
  for (const s of spans) {
    words(clause.slice(from, s.start));
    spanToken.push(tokens.length);
    tokens.push(SYMPTOM);
    from = s.end;
  }
  words(clause.slice(from));
  return { tokens, spanToken };
}
