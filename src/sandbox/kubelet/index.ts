/** The simulated node agents. */
export { startKubelets, DOWN_ANNOTATION, LEASE_RENEW_MS, NODE_STATUS_MS, type Kubelets, type KubeletOptions } from './kubelet.js';
export { findListener, listeners, ListenerTable, type HttpHandler, type Listener, type SimRequest, type SimResponse } from './listeners.js';
export { IMAGES, parseImageRef, resolveImage, planStart } from './images.js';
export { CONTAINER_STAGES, PROFILES, matchStage, planStage, goDuration } from './stages.js';
export type { ContainerRuntime, LogOptions, SessionIO } from './runtime.js';
