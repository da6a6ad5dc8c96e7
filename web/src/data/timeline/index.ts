export { timelineKeys } from './timeline.keys.ts';
export { leadTimelineQuery, TIMELINE_PAGE, useLeadTimeline } from './timeline.queries.ts';
