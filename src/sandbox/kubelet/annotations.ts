/** Annotations the simulated kubelet honours (set through the API by `kube-tutor sandbox node down|up`). */

/** while "true" on a Node, that node's kubelet is down: no heartbeats, no status, no actions */
export const DOWN_ANNOTATION = 'kube-tutor.dev/down';
