/**
 * Every action id the engine puts on a button, select, picker or form. Values carry only
 * ids: a flow's own actions carry `<nonce>.<choice>`, decisions `<request id>.<slot id>`.
 */
export const ACTIONS = {
  menu: 'menu',
  // Booking dialogue.
  trainer: 'b.trainer',
  sessionType: 'b.type',
  duration: 'b.dur',
  location: 'b.loc',
  mode: 'b.mode',
  day: 'b.day',
  slot: 'b.slot',
  when: 'b.when',
  timeOfDay: 'b.tod',
  weekends: 'b.wknd',
  preferencesDone: 'b.prefs',
  skip: 'b.skip',
  confirm: 'b.ok',
  // A weekly series: open the Repeat question, how often, which days, how long, what if a date is taken.
  repeat: 'b.rep',
  repeatEvery: 'b.rep.n',
  repeatDay: 'b.rep.day',
  repeatEnd: 'b.rep.end',
  repeatUntil: 'b.rep.until',
  conflictMode: 'b.rep.mode',
  change: 'b.change',
  abandon: 'b.quit',
  // A trainer's decision on a request, and the outcome of a session.
  approve: 'approve',
  reject: 'reject',
  outcome: 'outcome',
  // Managing a booking.
  cancelBooking: 'bk.cancel',
  cancelConfirm: 'bk.cancel.ok',
  /** An occurrence of a series: cancel it and all following sessions (`cancelConfirm` is "this session"). */
  cancelFollowing: 'bk.cancel.all',
  rescheduleBooking: 'bk.move',
  rescheduleDay: 'bk.move.day',
  rescheduleSlot: 'bk.move.slot',
  keep: 'bk.keep',
  /** A client's pending request: `<request id>`. */
  withdraw: 'rq.withdraw',
  // A trainer's availability.
  publishConfirm: 'pub.ok',
  publishAbandon: 'pub.quit',
  // A trainer's booking policy: approval mode (`MANUAL` / `AUTO_DIRECT`), a form (`times` / `limits`).
  policyApproval: 'pol.mode',
  policyForm: 'pol.form',
  // A trainer's time off.
  timeOffConfirm: 'off.ok',
  timeOffAbandon: 'off.quit',
} as const;

export const FORMS = {
  /** `reject.<request id>`, field `reason`. */
  rejectPrefix: 'reject.',
  reasonField: 'reason',
  /** `policy.<times|limits>`, one field per policy field (its camelCase name). */
  policyPrefix: 'policy.',
} as const;

/** Splits a flow action's value `<nonce>.<rest>`. */
export function flowValue(value: string): { nonce: string; rest: string } {
  const at = value.indexOf('.');
  return at < 0 ? { nonce: value, rest: '' } : { nonce: value.slice(0, at), rest: value.slice(at + 1) };
}
