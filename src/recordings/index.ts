export * from './ivs-recording-ready';
export * from './recording-readiness';
