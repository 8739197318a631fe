export * from './case-view';
export * from './workflows';
export * from './activities';
