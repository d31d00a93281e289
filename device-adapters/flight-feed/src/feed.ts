import type { DeviceAdapter } from '@clearway/device-core';
import type { FlightArrival, FlightManifestInput, FlightUpsertInput } from '@clearway/protocol';

export interface FlightFeedCapabilities {
  /** Where the flights come from. */
  source: 'simulator' | 'schedule-file';
  /** True for a simulator: consoles and reports can say so. */
  simulated: boolean;
  /** Whether delays, stand changes, on-block times and cancellations follow the schedule. */
  liveUpdates: boolean;
  /** Simulated seconds per real second; null for a source with no clock of its own. */
  timeScale: number | null;
}

/** A flight feed: an AODB link, a schedule file, or the simulator. Each message becomes one `flight:upsert`. */
export interface FlightFeedAdapter extends DeviceAdapter<FlightUpsertInput, FlightFeedCapabilities> {
  readonly kind: 'flight-feed';
  /**
   * The flight's passenger manifest, where the feed has one: sent as `flight:manifest` right after
   * the batch that brought the arrival is stored (runFlightFeed).
   */
  manifestOf?(arrival: FlightArrival): FlightManifestInput | null;
}
