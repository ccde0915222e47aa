export * from './ivs-detail-type';
export * from './ivs-event';
export * from './event-details';
