export * from './ssrf-guard';
export * from './signature';
