/**
 * The registry of service models: one line per service. A new service is one module exporting a
 * {@link ServiceDefinition} and one entry here (docs/SERVICES.md); its operations become fleet mix operations, its
 * quota rows request quotas, by name.
 */
import type { ServiceDefinition, ServiceOperationDef } from './definition.js';
import { PARAMETER_STORE } from './parameter-store.js';
import { S3 } from './s3-definition.js';
import { SECRETS_MANAGER } from './secretsmanager.js';

/** Every service model, in report order. */
export const SERVICE_DEFINITIONS: readonly ServiceDefinition[] = [
  S3,
  SECRETS_MANAGER,
  PARAMETER_STORE,
];

const OPERATIONS: ReadonlyMap<string, ServiceOperationDef> = new Map(SERVICE_DEFINITIONS.flatMap((d) => d.operations.map((op) => [op.name, op] as const)));

/** Every service operation a fleet's mix can send, by name (`secretsmanager:GetSecretValue`). */
export const SERVICE_OPERATION_NAMES: readonly string[] = Object.freeze([...OPERATIONS.keys()]);

/** The operation named `name`, if a registered service has it. */
export function serviceOperation(name: string): ServiceOperationDef | undefined {
  return OPERATIONS.get(name);
}

/** The service definition of `service`, if registered. */
export function serviceDefinition(service: string): ServiceDefinition | undefined {
  return SERVICE_DEFINITIONS.find((d) => d.service === service);
}
