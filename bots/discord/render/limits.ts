/**
 * Discord's limits on what a bot posts (a message over any of them is refused whole with
 * 400 "Invalid Form Body"), so the renderer cuts to them instead.
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  /** Every embed of a message together: titles, descriptions, field names and values, footers, authors. */
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  selectOptions: 25,
  selectOptionLabel: 100,
  selectPlaceholder: 150,
  customId: 100,
  modalTitle: 45,
  modalComponents: 5,
  labelText: 45,
  labelDescription: 100,
  textInputPlaceholder: 100,
  textInputLength: 4000,
} as const;

/** A date picker becomes a select of this many days, today first (Discord has no calendar). */
export const DATE_PICKER_DAYS = 14;
