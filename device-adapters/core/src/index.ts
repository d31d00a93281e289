export type { DeviceAdapter, ScanDeviceKind, ScannerAdapter, ScannerCapabilities, Sink } from './adapter.ts';
export { DEFAULT_RESEND_BACKOFF, backoffDelay, type Backoff } from './backoff.ts';
export { HubLinkClosedError, HubProtocolError, HubRefusedError, RequestRejectedError, ScanRejectedError } from './errors.ts';
export {
  HubDeviceLink,
  type HubDeviceLinkOptions,
  type HubLinkEvent,
  type PendingScan,
  type ReportReply,
  type RobotCommandResults,
  type RequestAccepted,
  type RequestPayload,
  type ResendReason,
  type ScanAccepted,
} from './hub-link.ts';
// The conformance suite imports vitest, so it has its own entry point: '@clearway/device-core/conformance'.
