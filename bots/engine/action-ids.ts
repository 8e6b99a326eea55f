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
  // Packs and credits (issue 13).
  /** A trainer's view of one client's credits: `<client user id>`. */
  clientCredits: 'cr.client',
  /** Sell a pack: `<client user id>`, or '' when the client is named in the form. */
  sellPack: 'cr.sell',
  /** The pack sold: `<pack id>.<client user id or 0>`; opens the payment form. */
  payPack: 'cr.pay',
  /** Which client a payment is from, when the name fitted several: `<nonce>.<user id>`. */
  payClient: 'cr.pay.who',
  /** Record a payment that differs from the pack's price (a discount): `<nonce>`. */
  payConfirm: 'cr.pay.ok',
  payAbandon: 'cr.pay.quit',
  /** Opens the form for a new pack. */
  packForm: 'cr.pack.new',
  /** Stop selling a pack: `<pack id>` asks, `packStopConfirm` does it, `packKeep` leaves it. */
  packStop: 'cr.pack.stop',
  packStopConfirm: 'cr.pack.stop.ok',
  packKeep: 'cr.pack.keep',
} as const;

export const FORMS = {
  /** `reject.<request id>`, field `reason`. */
  rejectPrefix: 'reject.',
  reasonField: 'reason',
  /** `policy.<times|limits>`, one field per policy field (its camelCase name). */
  policyPrefix: 'policy.',
  /** `pay.<pack id>.<client user id or 0>`: fields client, pack, amount, method, reference. */
  paymentPrefix: 'pay.',
  /** A new pack: fields name, sessions, minutes, price, validity. */
  newPack: 'pack.new',
} as const;

/** Splits a flow action's value `<nonce>.<rest>`. */
export function flowValue(value: string): { nonce: string; rest: string } {
  const at = value.indexOf('.');
  return at < 0 ? { nonce: value, rest: '' } : { nonce: value.slice(0, at), rest: value.slice(at + 1) };
}
