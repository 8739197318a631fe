export * from './decorators';
export * from './principal';
export * from './personal-data';
export * from './token-verifier';
