export * from './profile-options';
export * from './monitoring-profile';
export * from './severity-options';
export * from './ivs-real-time-monitoring';
export * from './ivs-real-time-central-monitoring';
