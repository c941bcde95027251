// Which states are still moving: pages refresh only while what they show is in one of these, and stop by themselves
// once it has ended, so a finished run's page makes no periodic requests.

export const ACTIVE_RUN_STATES = new Set(['QUEUED', 'RUNNING']);
export const ACTIVE_ACTION_STATES = new Set(['QUEUED', 'PENDING', 'RUNNING', 'FINISHING']);
export const LIVE_REFRESH_MS = 2000;

export function isRunActive(state: unknown): boolean {
  return ACTIVE_RUN_STATES.has(String(state));
}

export function isActionActive(state: unknown): boolean {
  return ACTIVE_ACTION_STATES.has(String(state));
}

/** The refresh interval for a run page: while the run or any of its steps moves, else none. */
export function runRefresh(runState: unknown, stepStates: unknown[]): number | false {
  return isRunActive(runState) || stepStates.some(isActionActive) ? LIVE_REFRESH_MS : false;
}
