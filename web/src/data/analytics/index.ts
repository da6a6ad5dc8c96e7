export { analyticsKeys } from './analytics.keys.ts';
export { analyticsExportUrl, cadenceAnalyticsQuery, useCadenceAnalytics, useCadenceName, useRepChoices, useStatsLeads } from './analytics.queries.ts';
