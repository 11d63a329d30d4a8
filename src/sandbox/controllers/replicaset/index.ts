/** The ReplicaSet and ReplicationController controllers (one implementation, kind as data). */
import type { Component, ControllerContext } from '../context.js';
import { REPLICA_SET_KIND, REPLICATION_CONTROLLER_KIND, ReplicaSetController } from './controller.js';

export { ReplicaSetController, REPLICA_SET_KIND, REPLICATION_CONTROLLER_KIND, slowStartBatch, type ReplicaKind } from './controller.js';
export { Expectations } from './expectations.js';
export * from './pods.js';

/** start the RS and RC controllers; `stop()` stops both */
export function startReplicaSetControllers(ctx: ControllerContext): Component & { rs: ReplicaSetController; rc: ReplicaSetController } {
  const rs = new ReplicaSetController(ctx, REPLICA_SET_KIND);
  const rc = new ReplicaSetController(ctx, REPLICATION_CONTROLLER_KIND);
  return {
    rs, rc,
    stop() {
      rs.stop();
      rc.stop();
    },
  };
}
