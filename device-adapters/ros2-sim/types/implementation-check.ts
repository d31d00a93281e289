// Type-level check, run by `tsc -p device-adapters/ros2-sim`: the JSDoc-typed implementation
// (src/*.cjs) must satisfy the declarations other packages compile against (types/*.d.cts).
import type * as DeclaredIndex from './index.d.cts';
import type * as DeclaredBridge from './bridge.d.cts';
import type * as DeclaredInterfaces from './interfaces.d.cts';
import * as index from '../src/index.cjs';
import * as bridge from '../src/bridge.cjs';
import * as interfaces from '../src/interfaces.cjs';
import type * as fleet from '../src/fleet.cjs';
import type { SimFleet as DeclaredFleet } from './fleet.d.cts';

export const checkIndex: Pick<typeof DeclaredIndex, 'init' | 'isShutdown' | 'shutdown' | 'validator'> = index;
export const checkBridge: Pick<typeof DeclaredBridge, 'locateBridge'> = bridge;
export const checkInterfaces: typeof DeclaredInterfaces = interfaces;
export function checkFleet(f: InstanceType<typeof fleet.SimFleet>): Pick<DeclaredFleet, 'start' | 'step' | 'snapshot' | 'setFault' | 'close' | 'robotIds' | 'nowMs'> {
  return f;
}
export function checkNode(n: ReturnType<typeof index.createNode>): Pick<ReturnType<typeof DeclaredIndex.createNode>, 'name' | 'namespace' | 'destroy' | 'spin' | 'spinOnce' | 'createPublisher' | 'createClient'> {
  return n;
}
