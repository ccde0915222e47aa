export * from './function-runtime-options';
export * from './ivs-stage-state-tracker';
export * from './stage-activity';
