import { describe, expect, it } from 'vitest';
import { seriesWording } from '../../src/domain/series/wording';

describe('series sentences', () => {
  it('words a confirmed series with and without skipped dates', () => {
    expect(seriesWording.approved(10, 0)).toBe('The weekly series is confirmed: 10 sessions booked.');
    expect(seriesWording.approved(9, 1)).toBe('The weekly series is confirmed: 9 sessions booked; 1 date could not be booked and is listed with the reason.');
    expect(seriesWording.approved(1, 2)).toBe('The weekly series is confirmed: 1 session booked; 2 dates could not be booked and are listed with the reason.');
  });

  it('words "this and all following" once for all its sessions, naming the late ones', () => {
    expect(seriesWording.cancelled(4, 0, 'trainer')).toBe('4 sessions of the weekly series were cancelled by the trainer (this one and all following).');
    expect(seriesWording.cancelled(3, 1, 'client')).toBe('3 sessions of the weekly series were cancelled by the client (this one and all following); 1 of them counts as a late cancellation.');
    expect(seriesWording.cancelled(1, 1, 'client')).toBe('The session was cancelled by the client (this one and all following); it counts as a late cancellation.');
    // The same late clause for doors that word the rest themselves (chat, e-mail).
    expect([seriesWording.lateCancellations(6, 0), seriesWording.lateCancellations(6, 1), seriesWording.lateCancellations(6, 2)]).toEqual(['', '1 of them counts as a late cancellation', '2 of them count as a late cancellation']);
  });

  it('says where a single change of a series goes, in one sentence', () => {
    expect(seriesWording.useOccurrence().split('. ')).toHaveLength(1);
    expect(seriesWording.nonexistent('2027-03-28', '02:30', 'Europe/Berlin')).toBe('02:30 does not exist on 2027-03-28 in Europe/Berlin: the clocks go forward over it.');
  });
});
