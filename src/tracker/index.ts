export * from './ivs-stage-state-tracker';
