export { integrationKeys } from './integrations.keys.ts';
export { integrationsQuery, useIntegrations } from './integrations.queries.ts';
export { useDisconnectIntegration, useSaveIntegration } from './integrations.mutations.ts';
