export type ServiceFailure =
  /** No reply in time: ros2-web-bridge never answers a call to a service nobody offers. */
  | 'timeout'
  /** The server answered result: false (rosbridge_suite) with the reason in the message. */
  | 'failed'
  /** The bridge refused the operation: a status op with level error and this call's id. */
  | 'bridge-error'
  /** The connection dropped before the reply came. */
  | 'disconnected'
  /** Not connected when called. */
  | 'not-connected'
  /** The client was closed. */
  | 'closed'
  /** The request could not be encoded (NaN, a cycle, …); nothing was sent. */
  | 'invalid-request';

export class ServiceCallError extends Error {
  override readonly name = 'ServiceCallError';
  constructor(
    readonly service: string,
    readonly reason: ServiceFailure,
    message: string,
  ) {
    super(`${service}: ${message}`);
  }
}

/** A command the link could not send: not connected, closed, or not encodable. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly reason: 'not-connected' | 'closed' | 'invalid' | 'unknown-robot',
    message: string,
  ) {
    super(message);
  }
}
