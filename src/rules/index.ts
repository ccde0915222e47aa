export * from './event-source-options';
export * from './event-filter-options';
export * from './ivs-stage-event-rule';
