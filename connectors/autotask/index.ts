/** The Autotask connector's public surface; the mock server lives in ./mock-server (tests and benchmarks only). */
export {
  createAutotaskConnector,
  DEFAULT_DISCOVERY_URL,
  type AutotaskConnector,
  type AutotaskConnectorOptions,
  type AutotaskThreshold,
} from './client';
export { AutotaskError, type AutotaskErrorCode } from './errors';
export { TENANT_FIELDS, type TenantField } from './field-mapping';
export type { Zone } from './zone';
