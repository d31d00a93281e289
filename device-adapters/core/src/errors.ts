import type { ConnectErrorCode, ConnectErrorData, ErrorBody, ErrorCode } from '@clearway/protocol';

const REFUSAL_HINT: Record<ConnectErrorCode, string> = {
  'bad-credentials': 'check --device-id and the token (pnpm clearway devices add)',
  'device-revoked': 'register the device again (pnpm clearway devices add)',
  'protocol-version': 'run a simulator or adapter built for this hub',
  'bad-request': 'the handshake was malformed',
  'session-expired': 'sign in again',
};

/** The hub refused the handshake. Never retried: a wrong token does not become right. */
export class HubRefusedError extends Error {
  override readonly name = 'HubRefusedError';
  readonly code: ConnectErrorCode;
  readonly serverProtocolVersion: number;
  constructor(data: ConnectErrorData) {
    super(`hub refused the device (${data.code}): ${data.message}; ${REFUSAL_HINT[data.code]}`);
    this.code = data.code;
    this.serverProtocolVersion = data.serverProtocolVersion;
  }
}

/** The hub answered a scan with an error that resending the same scan cannot fix. */
export class ScanRejectedError extends Error {
  override readonly name = 'ScanRejectedError';
  readonly scanId: string;
  readonly code: ErrorCode;
  /** Dotted path of the offending field, e.g. "views.0.width", when the hub named one. */
  readonly field: string | undefined;
  constructor(scanId: string, error: ErrorBody) {
    super(`hub rejected scan ${scanId} (${error.code}${error.field === undefined ? '' : ` at ${error.field}`}): ${error.message}`);
    this.scanId = scanId;
    this.code = error.code;
    this.field = error.field;
  }
}

/** The hub answered a request other than a scan with an error that resending it cannot fix. */
export class RequestRejectedError extends Error {
  override readonly name = 'RequestRejectedError';
  readonly event: string;
  readonly code: ErrorCode;
  readonly field: string | undefined;
  constructor(event: string, error: ErrorBody) {
    super(`hub rejected ${event} (${error.code}${error.field === undefined ? '' : ` at ${error.field}`}): ${error.message}`);
    this.event = event;
    this.code = error.code;
    this.field = error.field;
  }
}

/** The hub sent something the wire contract does not allow: a different build or a bug. */
export class HubProtocolError extends Error {
  override readonly name = 'HubProtocolError';
}

/** The link was closed while a scan was waiting for a slot, the hub, or its acknowledgement. */
export class HubLinkClosedError extends Error {
  override readonly name = 'HubLinkClosedError';
  constructor(what = 'the hub link') {
    super(`${what} was closed`);
  }
}
