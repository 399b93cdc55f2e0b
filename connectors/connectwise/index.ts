/**
 * ConnectWise PSA: the connector and its field mapping. The mock server is not exported here, so production code
 * never loads it (or the demo generator behind it): tests and benchmarks import `./mock-server` directly.
 */
export { createConnectWiseConnector, type ConnectWiseConnectorOptions } from './client';
export { ConnectWiseError } from './errors';
export { buildFieldSchemas, patchOperations, ticketFieldValues, CW_FIELDS, type ReferenceData } from './field-mapping';
export * as cwConditions from './conditions';
