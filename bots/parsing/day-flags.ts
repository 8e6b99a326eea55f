import type { MaskedText } from './masked-text';

const WEEKENDS_FINE =
  /\bweekends?\s+(?:are\s+|is\s+)?(?:fine|ok|okay|good|possible|work|works|too|also|included|as\s+well)\b|\b(?:including|incl\.?|also|plus|or|and|on)\s+(?:the\s+)?weekends?\b|\b(?:any|every)\s+day\b/g;
const NO_WEEKENDS =
  /\b(?:no|not|never|without|except|excluding)\s+(?:on\s+|at\s+)?(?:the\s+)?weekends?\b|\bweekends?\s+(?:are\s+|is\s+)?(?:out|not\s+(?:ok|okay|fine|possible)|no\s+good|impossible|bad)\b|\bweekdays?\s+only\b|\bonly\s+(?:on\s+)?weekdays?\b/g;
const WEEKENDS = /\bweekends?\b/g;

/**
 * Whether weekends are fine: "weekends fine", "incl. weekends" (yes), "no weekends",
 * "weekdays only" (no). The last thing said wins, as in speech ("no weekends — well,
 * weekends are fine").
 */
export function extractWeekendFlag(text: MaskedText): boolean | undefined {
  const said: { at: number; allow: boolean }[] = [];
  text.take(NO_WEEKENDS, (match) => {
    said.push({ at: match.index, allow: false });
    return true;
  });
  text.take(WEEKENDS_FINE, (match) => {
    said.push({ at: match.index, allow: true });
    return true;
  });
  text.take(WEEKENDS, (match) => {
    said.push({ at: match.index, allow: true });
    return true;
  });
  return said.sort((a, b) => a.at - b.at).at(-1)?.allow;
}
