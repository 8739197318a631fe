export * from './case-body.dto';
export * from './actions.dto';
export * from './case-view.dto';
