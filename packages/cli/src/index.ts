export * from './platform';
export * from './compose';
export { SUBGRAPHS } from './registry';
