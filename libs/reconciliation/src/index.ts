export * from './projection-verifier';
