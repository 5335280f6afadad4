// @talos/sdk — typed client for the Talos Federation API.
export * from './client';
export * from './__generated__/operations';
