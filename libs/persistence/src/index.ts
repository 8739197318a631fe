export * from './entities';
export * from './migrations';
export { dataSourceOptions, ensureDatabase, migrate, resolveConnection } from './data-source';
export * from './case-projection.repository';
export * from './case-read.repository';
export * from './persistence.module';
export * from './idempotency.repository';
export * from './document.repository';
export * from './storage/document-storage';
