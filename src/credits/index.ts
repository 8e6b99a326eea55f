export * from './ledger';
export * from './payment-provider';
export * from './booking-credit';
export * from './credit-notices';
