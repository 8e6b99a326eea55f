export * from './policy-patch';
export * from './policy-store';
