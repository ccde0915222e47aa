export * from './recording-message';
export * from './recording-complete-notifier';
