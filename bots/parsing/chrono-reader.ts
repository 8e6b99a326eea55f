import * as chrono from 'chrono-node';
import { MAX_CHAT_MESSAGE_CHARS } from './message-length';

/**
 * chrono-node reads this much of the text at most (cut at a blank): all of any message within
 * the chat cap, and a bounded prefix of anything longer, since chrono's time per character is
 * large on dense date-like text. Dates past it in a longer text are asked about, not read.
 */
export const CHRONO_READ_CHARS = MAX_CHAT_MESSAGE_CHARS;

/** The part of the text chrono reads: all of it, or CHRONO_READ_CHARS cut back to a blank. */
export function chronoInput(text: string): string {
  if (text.length <= CHRONO_READ_CHARS) return text;
  const blank = text.lastIndexOf(' ', CHRONO_READ_CHARS);
  return text.slice(0, blank > 0 ? blank : CHRONO_READ_CHARS);
}

/**
 * chrono's "3 days ago" and "2 weeks later" parsers cost tens of microseconds per character on
 * runs of lengths ("1 h 1 h 1 h …") even when nothing matches; a text without their last words
 * cannot match them, so they are left out for it. Same results, a fraction of the time.
 */
const KEYWORD_PARSERS: { name: string; needs: RegExp }[] = [
  { name: 'ENTimeUnitAgoFormatParser', needs: /ago|before|earlier/i },
  { name: 'ENTimeUnitLaterFormatParser', needs: /later|after|from now|henceforth|forward|out/i },
];

/**
 * What joins lengths in chrono's "2 hours, and 30 minutes": up to 5 blanks, a comma, "and",
 * up to 5 blanks. Blanks can be split between its parts in several ways, so a run of lengths
 * that ends in no "ago" is retried 2^10 ways before the pattern gives up (catastrophic
 * backtracking, ~250 µs per character). Matched atomically — (?=(x))\k<x>, JavaScript's form of
 * an atomic group — it is tried one way: the same text matches, without the retries. The
 * source is chrono-node 2.10's; should a later version change it, nothing is rewritten.
 */
const CONNECTOR = String.raw`\s{0,5},?(?:\s*and)?\s{0,5}`;

let groupCount = 0;
function atomicConnectors(pattern: RegExp): RegExp {
  const parts = pattern.source.split(CONNECTOR);
  if (parts.length === 1) return pattern;
  const source = parts.map((part, i) => (i === 0 ? part : `(?=(?<chronoJoin${++groupCount}>${CONNECTOR}))\\k<chronoJoin${groupCount}>${part}`)).join('');
  return new RegExp(source, pattern.flags);
}

/** The parser with its pattern rewritten once; extraction is the parser's own. */
function withAtomicConnectors(parser: chrono.Parser): chrono.Parser {
  let original: RegExp | undefined;
  let rewritten: RegExp | undefined;
  return {
    pattern(context) {
      const pattern = parser.pattern(context);
      if (pattern !== original) {
        original = pattern;
        rewritten = atomicConnectors(pattern);
      }
      return rewritten!;
    },
    extract: (context, match) => parser.extract(context, match),
  };
}

const instances = new Map<string, chrono.Chrono>();

/** chrono-node's casual English reader, without the parsers that cannot match `text`. */
export function chronoFor(text: string): chrono.Chrono {
  const unused = KEYWORD_PARSERS.filter((p) => !p.needs.test(text)).map((p) => p.name);
  const key = unused.join(',');
  let instance = instances.get(key);
  if (!instance) {
    instance = chrono.casual.clone();
    instance.parsers = instance.parsers.filter((parser) => !unused.includes(parser.constructor.name)).map(withAtomicConnectors);
    instances.set(key, instance);
  }
  return instance;
}
