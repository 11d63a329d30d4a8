/**
 * The cluster network: DNS, kube-proxy-style service routing, pod-to-pod HTTP (network.ts), the
 * kubelet's per-pod files and Service env vars (pods.ts), the ingress controller (ingress.ts)
 * and the host-side listeners on 127.0.0.1 (host.ts). `startNetwork` is what
 * `Sandbox.startControllers()` starts; the kubelet reaches the same Network via `networkFor`.
 */
import type { Component, ControllerContext } from '../controllers/context.js';
import { HostSide, type HostSideOptions } from './host.js';
import { networkFor, type Network } from './network.js';

export { Network, networkFor, responseHeaders, DEFAULT_AFFINITY_SECONDS, type Endpoint, type RequestOptions, type Target } from './network.js';
export { HostSide, INGRESS_ADDRESS_ANNOTATION, INGRESS_HTTPS_ADDRESS_ANNOTATION, FAKE_CERT_CN, type HostSideOptions } from './host.js';
export { ingressRequest, matchIngress, tlsCertificateFor, tlsEntryFor, INGRESS_HOSTNAME } from './ingress.js';
export { envForService, serviceEnv, dnsSettings, resolvConf, hostsFile, etcFiles, CLUSTER_DOMAIN } from './pods.js';
export { Ipam } from './ipam.js';

export interface NetworkComponent extends Component {
  network: Network;
  host: HostSide;
}

export function startNetwork(ctx: ControllerContext, opts: HostSideOptions = {}): NetworkComponent {
  const network = networkFor(ctx);
  const host = new HostSide(network, opts);
  return {
    network,
    host,
    stop() {
      host.stop();
      network.stop();
    },
  };
}
