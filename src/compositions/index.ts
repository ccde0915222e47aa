export * from './composition-activity';
export * from './composition-destination';
export * from './composition-layout';
export * from './ivs-auto-composition';
