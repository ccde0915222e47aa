export * from './alarm-actions';
export * from './delivery-alarms';
export * from './ivs-event-alarm';
export * from './composition-failure-alarm';
export * from './recording-failure-alarm';
export * from './publish-error-alarm';
