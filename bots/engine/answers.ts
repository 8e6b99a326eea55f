/**
 * Yes or no typed in answer to a confirmation question ("Send it?", "Publish these?",
 * "Cancel booking #12?"). Every question accepts the common words; a question may add its
 * own ("book it", "keep it"). Case, surrounding space and a trailing "." or "!" do not matter.
 */
const COMMON_YES: readonly string[] = ['y', 'yes', 'yeah', 'yep', 'ok', 'okay', 'sure'];
const COMMON_NO: readonly string[] = ['n', 'no', 'nope'];

export interface AnswerWords {
  yes?: readonly string[];
  no?: readonly string[];
}

const normalised = (text: string): string => text.trim().toLowerCase().replace(/[.!]+$/, '').replace(/\s+/g, ' ');

export function yesOrNo(text: string, own: AnswerWords = {}): 'yes' | 'no' | undefined {
  const said = normalised(text);
  if (COMMON_YES.includes(said) || own.yes?.includes(said)) return 'yes';
  if (COMMON_NO.includes(said) || own.no?.includes(said)) return 'no';
  return undefined;
}
