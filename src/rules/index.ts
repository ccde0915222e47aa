export * from './ivs-stage-event-rule';
