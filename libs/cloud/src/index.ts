export * from './cloud-inventory';
export * from './cloud-config';
export { AlibabaCloudInventory, classifyCloudError, chinaDateOf } from './alibaba-cloud.inventory';
