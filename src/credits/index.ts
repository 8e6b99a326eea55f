export * from './ledger';
export * from './payment-provider';
