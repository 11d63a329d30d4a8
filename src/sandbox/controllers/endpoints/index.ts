/** Service endpoints: the Endpoints controller, the EndpointSlice controller and the mirroring controller. */
import type { Component, ControllerContext } from '../context.js';
import { EndpointSliceController } from './endpointslice.js';
import { EndpointSliceMirroringController } from './mirroring.js';

export { EndpointsController, computeSubsets, startEndpointsController } from './endpoints.js';
export { EndpointSliceController, desiredEndpoints } from './endpointslice.js';
export { EndpointSliceMirroringController, desiredFromEndpoints } from './mirroring.js';

export interface EndpointSliceControllers extends Component {
  slices: EndpointSliceController;
  mirroring: EndpointSliceMirroringController;
  /** resolves when both work queues are drained */
  idle(): Promise<void>;
}

/** the EndpointSlice controller and the EndpointSlice mirroring controller, as one component */
export function startEndpointSliceControllers(ctx: ControllerContext): EndpointSliceControllers {
  const slices = new EndpointSliceController(ctx);
  const mirroring = new EndpointSliceMirroringController(ctx);
  return {
    slices,
    mirroring,
    idle: async () => {
      await slices.queue.idle();
      await mirroring.queue.idle();
    },
    stop() {
      slices.stop();
      mirroring.stop();
    },
  };
}
