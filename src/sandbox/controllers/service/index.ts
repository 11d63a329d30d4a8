export {
  LOAD_BALANCER_DELAY_MS,
  LOAD_BALANCER_HOSTNAME,
  ServiceLoadBalancerController,
  startServiceLoadBalancerController,
  type LoadBalancerOptions,
} from './loadbalancer.js';
