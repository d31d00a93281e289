export { startHub, DEFAULTS, HUB_VERSION, type Hub, type HubOptions } from './hub.ts';
export { CONSOLE_HEADERS } from './http.ts';
export { ScenarioClock, wallClock, type ClockTimer, type HubClock } from './clock.ts';
