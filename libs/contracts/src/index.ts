export * from './case-view';
export * from './workflows';
export * from './activities';
export * from './reminders';
