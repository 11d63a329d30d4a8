/** The Deployment controller. */
import type { Component, ControllerContext } from '../context.js';
import { DeploymentController } from './controller.js';

export { DeploymentController, DEPLOYMENT_COMPONENT } from './controller.js';
export * as deploymentUtil from './util.js';

export function startDeploymentController(ctx: ControllerContext): Component & { controller: DeploymentController } {
  const controller = new DeploymentController(ctx);
  return { controller, stop: () => controller.stop() };
}
