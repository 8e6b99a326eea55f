import { describe, expect, it } from 'vitest';
import { commandOf } from '../../../bots/engine/commands';

describe('calendar commands', () => {
  it.each(['calendar', 'my calendar', 'calendar feed', '/calendar', 'My calendar link.'])('"%s" asks for a feed URL', (text) => {
    expect(commandOf(text)).toEqual({ kind: 'calendar', revoke: false });
  });

  it.each(['revoke calendar', 'stop my calendar feed', 'delete calendar link'])('"%s" revokes it', (text) => {
    expect(commandOf(text)).toEqual({ kind: 'calendar', revoke: true });
  });

  it('leaves other sentences about calendars to the dialogue', () => {
    expect(commandOf('book something in my calendar next week')).toEqual({ kind: 'book', rest: 'something in my calendar next week' });
    expect(commandOf('calendar for next week')).toBeUndefined();
  });
});
