export * from './events';
export * from './rules';
export * from './alarms';
export * from './notifications';
export * from './tracker';
export * from './compositions';
export * from './recordings';
export * from './monitoring';
