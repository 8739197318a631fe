export * from './case-view';
export * from './case-summary';
export * from './workflows';
export * from './activities';
export * from './reminders';
