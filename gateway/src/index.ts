export { startGateway, type GatewayOptions, type RunningGateway } from './gateway';
export { FederatedSubscriptionExecutor } from './subscriptions';
