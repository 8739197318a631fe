export * from './app-config';
export * from './connections';
export * from './config.module';
