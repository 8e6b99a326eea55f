import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { User } from '../../src/db/entities';
import { loadDemoData } from '../../src/demo/demo-data';
import { PlatformAdapters, type ChatRecipient, type PlatformAdapter } from '../core/adapter';
import type { ChatAddress, IncomingEvent, MessageRef } from '../core/events';
import type { FormField, FormRequest, OutgoingMessage } from '../core/messages';
import { createChatEngine } from '../engine/chat-engine';
import type { BookingOperations } from '../engine/effects';
import { linkChatIdentity } from '../identity/link-identity';
import { ChatRuntime } from '../runtime/chat-runtime';
import { numberChoices, renderTerminalMessage, type NumberedChoice } from './render-terminal';

export type Persona = 'client' | 'trainer';
const PERSONAS: Persona[] = ['client', 'trainer'];
const WORKSPACE = 'local';

export interface TerminalChatOptions {
  orm: MikroORM;
  /** Where links to the API point (PUBLIC_BASE_URL), e.g. calendar feeds. */
  publicBaseUrl?: string;
  bookings: BookingOperations;
  /**
   * The adapters the worker's ChatNotifier delivers through; the terminal registers itself
   * here, so workflow notifications (the trainer's request, the client's confirmation)
   * appear in this chat. Pass the same registry to `new ChatNotifier(orm, adapters)`.
   */
  adapters?: PlatformAdapters;
  input?: Readable;
  output?: Writable;
  /** Who the person plays; by default the demo client and the first demo trainer. */
  personas?: { clientUserId: number; trainerUserId: number };
  now?: () => Date;
}

export interface TerminalChat {
  adapters: PlatformAdapters;
  /** Resolves when the input ends or the person types /quit. */
  closed: Promise<void>;
  close(): void;
}

interface PersonaState {
  name: string;
  choices: NumberedChoice[];
  /** The message those choices came from, so an edit can withdraw them. */
  choicesFrom?: string;
  /** A date picker was chosen: the next line is its date. */
  pendingDate?: NumberedChoice;
  /** A form is being filled in, one field per line. */
  pendingForm?: { form: FormRequest; values: Record<string, string> };
}

const HELP = [
  'Terminal chat: you play both sides through the same engine as Slack and Discord.',
  '  /as client | /as trainer   switch who you are',
  '  a number                   press that button in the latest message',
  '  anything else              is sent as a chat message (try "help" or "book")',
  '  /quit                      leave',
].join('\n');

/** A form field asked as a line: a prefilled one shows its answer (an empty line keeps it), an optional one says so. */
function fieldPrompt(field: FormField): string {
  if (field.initial) return `${field.label} [${field.initial}] (empty keeps it)`;
  if (field.optional) return `${field.label} (${field.placeholder ?? 'empty to skip'})`;
  return field.placeholder ? `${field.label} (${field.placeholder})` : field.label;
}

async function defaultPersonas(orm: MikroORM): Promise<{ clientUserId: number; trainerUserId: number }> {
  const demo = await loadDemoData(orm.em.fork());
  return { clientUserId: demo.client.id, trainerUserId: demo.trainers[0]!.user.id };
}

/**
 * A local chat on stdin/stdout (or any streams): the person switches between the demo
 * client and the demo trainer, sees every bot message with numbered buttons, and answers by
 * number or in words. Works without a TTY, so tests drive it through streams.
 */
export async function startTerminalChat(options: TerminalChatOptions): Promise<TerminalChat> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const adapters = options.adapters ?? new PlatformAdapters();
  const runtime = new ChatRuntime({ engine: createChatEngine({ orm: options.orm, bookings: options.bookings, ...(options.now ? { now: options.now } : {}), ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}) }), platform: 'terminal' });
  const personaIds = options.personas ?? (await defaultPersonas(options.orm));
  const em = options.orm.em.fork();
  const users = { client: await em.findOneOrFail(User, personaIds.clientUserId), trainer: await em.findOneOrFail(User, personaIds.trainerUserId) };
  for (const persona of PERSONAS) {
    await linkChatIdentity(options.orm, { platform: 'terminal', workspaceId: WORKSPACE, externalUserId: persona, channelId: persona }, users[persona].id);
  }
  const states: Record<Persona, PersonaState> = {
    client: { name: users.client.fullName, choices: [] },
    trainer: { name: users.trainer.fullName, choices: [] },
  };
  let current: Persona = 'client';
  let messageCount = 0;
  const write = (text: string): void => {
    output.write(text);
  };

  const show = (persona: Persona, message: OutgoingMessage, note = ''): string => {
    const id = `m${++messageCount}`;
    const state = states[persona];
    const choices = numberChoices(message.actions ?? []);
    if (choices.length > 0) {
      state.choices = choices;
      state.choicesFrom = id;
      state.pendingDate = undefined;
    }
    write(renderTerminalMessage(`to ${state.name} (${persona})${note} · ${id}`, message, choices));
    if (message.form) {
      state.pendingForm = { form: message.form, values: {} };
      write(`${fieldPrompt(message.form.fields[0]!)}\n`);
    }
    return id;
  };

  const adapter: PlatformAdapter = {
    platform: 'terminal',
    send(to: ChatRecipient, message: OutgoingMessage): Promise<MessageRef> {
      const persona: Persona = to.externalUserId === 'trainer' ? 'trainer' : 'client';
      const messageId = show(persona, message);
      return Promise.resolve({ platform: 'terminal', workspaceId: WORKSPACE, channelId: persona, messageId });
    },
    update(ref: MessageRef, message: OutgoingMessage): Promise<void> {
      const persona: Persona = ref.channelId === 'trainer' ? 'trainer' : 'client';
      const state = states[persona];
      if (state.choicesFrom === ref.messageId) {
        state.choices = [];
        state.choicesFrom = undefined;
      }
      write(renderTerminalMessage(`${ref.messageId} updated, to ${state.name} (${persona})`, { ...message, actions: [] }, []));
      return Promise.resolve();
    },
  };
  adapters.register(adapter);

  const address = (persona: Persona): ChatAddress => ({ platform: 'terminal', workspaceId: WORKSPACE, externalUserId: persona, channelId: persona, isDirect: true, displayName: states[persona].name });

  async function send(event: IncomingEvent): Promise<void> {
    const persona = current;
    const apologise = (text: string): Promise<void> => {
      show(persona, { text }, ', only you see this');
      return Promise.resolve();
    };
    await runtime.process({ kind: `terminal ${event.type}`, apologise }, async () => {
      for (const answer of await runtime.engine.handle(event)) show(persona, answer.message, answer.private ? ', only you see this' : '');
    });
  }

  async function onLine(raw: string): Promise<boolean> {
    const line = raw.trim();
    const state = states[current];
    if (line === '/quit' || line === '/exit') return false;
    if (line === '/help') {
      write(`${HELP}\n`);
      return true;
    }
    const switchTo = /^\/as\s+(client|trainer)$/i.exec(line);
    if (switchTo) {
      current = switchTo[1]!.toLowerCase() as Persona;
      write(`You are now ${states[current].name} (${current}).\n`);
      return true;
    }
    if (line.startsWith('/')) {
      write(`Unknown command ${line}; type /help.\n`);
      return true;
    }
    if (!line && !state.pendingForm) return true;
    if (state.pendingForm) {
      const { form, values } = state.pendingForm;
      const field = form.fields[Object.keys(values).length]!;
      // An optional field (a setting to keep) may be answered with an empty line; a prefilled one keeps its answer.
      if (!line && !field.optional && !field.initial) return true;
      values[field.id] = line || field.initial || '';
      const nextField = form.fields[Object.keys(values).length];
      if (nextField) {
        write(`${fieldPrompt(nextField)}\n`);
        return true;
      }
      state.pendingForm = undefined;
      await send({ type: 'form', from: address(current), formId: form.id, values, submissionId: randomUUID() });
      return true;
    }
    if (state.pendingDate) {
      const picker = state.pendingDate;
      state.pendingDate = undefined;
      await send({ type: 'action', from: address(current), actionId: picker.actionId, value: `${picker.value}${line}`, pressId: randomUUID() });
      return true;
    }
    const number = /^\d{1,2}$/.test(line) ? Number(line) : NaN;
    const choice = state.choices.find((c) => c.number === number);
    if (choice?.picksDate) {
      state.pendingDate = choice;
      write('Which date? (YYYY-MM-DD)\n');
      return true;
    }
    if (choice) {
      await send({ type: 'action', from: address(current), actionId: choice.actionId, value: choice.value, pressId: randomUUID() });
      return true;
    }
    await send({ type: 'text', from: address(current), text: line });
    return true;
  }

  // On a real terminal readline edits the line and shows a prompt; on a pipe it only reads lines.
  const tty = (input as Readable & { isTTY?: boolean }).isTTY === true;
  const rl = tty ? createInterface({ input, output, terminal: true }) : createInterface({ input, terminal: false });
  const prompt = (): void => {
    if (!tty) return;
    rl.setPrompt(`${current}> `);
    rl.prompt();
  };
  write(`${HELP}\nYou are ${states[current].name} (client). Type "help" or "book".\n`);
  prompt();
  const closed = (async () => {
    try {
      for await (const line of rl) {
        if (!(await onLine(line))) break;
        prompt();
      }
    } finally {
      rl.close();
      adapters.unregister(adapter);
    }
  })();
  return { adapters, closed, close: () => rl.close() };
}
