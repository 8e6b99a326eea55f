import type { ClientInfo, DialogueContext } from '../dialogue-context';

export type ClientMatch = { kind: 'one'; client: ClientInfo } | { kind: 'many'; clients: ClientInfo[] } | { kind: 'none' };

/** Lower case, no leading "@", one space between words. */
const normalized = (text: string): string => text.normalize('NFKC').trim().replace(/^@/, '').replace(/\s+/g, ' ').toLowerCase();

/** "Jamie Lee (@jamie)": how a trainer tells two clients apart. */
export const clientLabel = (client: ClientInfo): string => `${client.fullName} (@${client.username})`;

/** Whether what was written names this client: their full name or username, written in any case, with or without "@". */
export function namesClient(client: ClientInfo, written: string): boolean {
  const text = normalized(written);
  return text.length > 0 && (normalized(client.fullName) === text || normalized(client.username) === text || normalized(clientLabel(client)) === text);
}

/**
 * Which of a trainer's clients a name means, best match first: the exact full name or
 * username; else every client whose name has words starting with each written word ("jam",
 * "jamie l"); else a username containing it. One match is the client, several are asked
 * about, none is none.
 */
export function matchClients(clients: readonly ClientInfo[], written: string): ClientMatch {
  const text = normalized(written);
  if (!text) return { kind: 'none' };
  const tiers: ((client: ClientInfo) => boolean)[] = [
    (client) => namesClient(client, text),
    (client) => {
      const words = normalized(client.fullName).split(' ');
      return text.split(' ').every((part) => words.some((word) => word.startsWith(part)));
    },
    (client) => normalized(client.username).includes(text),
  ];
  for (const tier of tiers) {
    const found = clients.filter(tier);
    if (found.length === 1) return { kind: 'one', client: found[0]! };
    if (found.length > 1) return { kind: 'many', clients: found };
  }
  return { kind: 'none' };
}

/** A client of mine by what a trainer wrote; someone new only by their exact username. */
export async function findClient(context: DialogueContext, written: string): Promise<ClientMatch> {
  const match = matchClients(await context.myClients(), written);
  if (match.kind !== 'none') return match;
  const text = normalized(written);
  const stranger = /^[\w.@+-]{2,64}$/.test(text) ? await context.personByUsername(text) : undefined;
  return stranger ? { kind: 'one', client: stranger } : { kind: 'none' };
}
