export { AIRCRAFT, AIRLINES, LONG_HAUL_ORIGINS, REGIONAL_ORIGINS, type AircraftModel } from './aircraft.ts';
export type { FlightFeedAdapter, FlightFeedCapabilities } from './feed.ts';
export { ScheduleFileFeed, formatOf, readScheduleFile, type ScheduleFileFeedOptions } from './importer.ts';
export { Random, mixSeed } from './random.ts';
export { runFlightFeed, sendManifests, type FlightFeedRunOptions, type FlightFeedSummary, type ManifestSendOptions } from './run.ts';
export { SIMULATED_HIGH_RISK_AIRPORTS, parseManifests, simulateManifest, type ManifestSimOptions, type ParsedManifests } from './manifest.ts';
export { parseCsv, parseSchedule, rowKeyOf, rowToArrival, type ParsedSchedule, type ScheduleFormat, type ScheduleParseOptions, type ScheduleProblem } from './schedule-file.ts';
export { DEFAULT_DAY, SimulatedFlightFeed, simulateDay, type FlightDayOptions, type SimulatedDay, type SimulatedEvent, type SimulatedFlightFeedOptions } from './simulator.ts';
export { formatTime, offsetText, parseOffset } from './time.ts';
