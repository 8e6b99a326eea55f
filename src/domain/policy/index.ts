export * from './policy';
export * from './rules';
export * from './wording';
export * from './errors';
