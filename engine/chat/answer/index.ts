/** Chat answers (issue 9): the extractive answerer, the grounding check and the answer stream. */
export { type AnswerPassage, type AnswerSentence, type AnswerSource, type ChatAnswer, type ChatMode, withCitations } from './chat-answer.js';
export { type AnswerEvent, streamAnswer } from './answer-stream.js';
export { type ExtractiveInput, type ExtractiveOptions, extractiveAnswer, NOT_IN_RECORDS } from './extractive-answer.js';
export { type CitedSentence, type GroundingResult, type GroundingSource, groundingCheck } from './grounding-check.js';
