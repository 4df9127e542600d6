/**
 * Conversation memory for follow-ups (issue 9): a short message that leans on the question before
 * it ("and the one before that?", "what about the dose?", "when was that?") is searched and
 * answered together with the earlier question(s) of the conversation, so the answer stays on topic.
 * Pure; the chat service passes the user questions of the sealed conversation record.
 */

/** A follow-up is at most this many words. */
const MAX_FOLLOW_UP_WORDS = 8;
/** At most this many earlier questions join a chain of follow-ups. */
const MAX_CHAIN = 3;

const LEADS = /^\s*(?:and|but|also|then|so|what about|how about|and what about)\b/i;
const POINTS_BACK = /\b(?:that|it|this|those|these|them|the one|same|previous one|before)\b/i;

/** Whether `message` is a short follow-up that needs the question before it. */
export function isFollowUp(message: string): boolean {
  const words = message.trim().split(/\s+/).filter((w) => w !== '');
  return words.length > 0 && words.length <= MAX_FOLLOW_UP_WORDS && (LEADS.test(message) || POINTS_BACK.test(message));
}

/**
 * The text to retrieve and answer with: `message` itself, or — when it is a follow-up and there are
 * `previousQuestions` (oldest first) — the earlier questions back to the last one that was not a
 * follow-up, then `message`, joined by spaces.
 */
export function followUpQuery(previousQuestions: readonly string[], message: string): string {
  if (!isFollowUp(message) || previousQuestions.length === 0) return message;
  const chain: string[] = [];
  for (let i = previousQuestions.length - 1; i >= 0 && chain.length < MAX_CHAIN; i--) {
    const q = previousQuestions[i]!.trim();
    chain.unshift(q);
    if (!isFollowUp(q)) break;
  }
  return [...chain, message.trim()].join(' ');
}

/**
 * How many dated values back a question asks for: 0 for the latest (or earliest), 1 for "the one
 * before that", 2 for "and before that?" after it, and so on.
 */
export function stepsBack(question: string): number {
  return (question.match(/\bbefore (?:that|this|it)\b|\bprevious one\b/gi) ?? []).length;
}
