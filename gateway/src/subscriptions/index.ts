export {
  FederatedSubscriptionExecutor,
  type FederatedSubscriptionExecutorOptions,
  type SubgraphRequest,
  type SubgraphSocketOptions,
  type SubscribeArgs,
} from './executor';
