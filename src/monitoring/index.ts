export * from './monitoring-profile';
export * from './ivs-real-time-monitoring';
export * from './ivs-real-time-central-monitoring';
