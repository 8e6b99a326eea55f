/**
 * Something a person wrote that the parser will not guess at. `message` is one sentence
 * that says what to write instead; the dialogue shows it and goes on.
 */
export interface ParseProblem {
  about: 'date' | 'time' | 'duration' | 'weekdays' | 'slots' | 'repeat';
  message: string;
  /** Something was left out rather than unclear: what comes next can add to what was said. */
  missing?: boolean;
}
