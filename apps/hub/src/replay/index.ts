export { DEFAULT_LATE_MS, runReplay, type ReplayOptions, type ReplayResult, type ReplayRun } from './driver.ts';
export {
  ArrivalProfile, MAX_SCENARIO_BAGS, Scenario, ScenarioError, ScenarioFlight, checkScenario, parseScenario, planScenario, searchOf, thinkTimeMs, triangularQuantile, verdictOf,
  type PlannedBag, type PlannedFeedMessage, type PlannedFlight, type ScenarioInput, type ScenarioPlan,
} from './scenario.ts';
