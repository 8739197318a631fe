export * from './case-body.dto';
export * from './actions.dto';
