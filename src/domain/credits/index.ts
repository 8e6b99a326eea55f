export * from './credits';
export * from './money';
export * from './rules';
export * from './wording';
export * from './errors';
export * from './access';
