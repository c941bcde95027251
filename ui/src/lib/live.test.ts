import { describe, expect, it } from 'vitest';
import { LIVE_REFRESH_MS, runRefresh } from './live';

describe('live refresh', () => {
  it('refreshes a run while it or a step moves', () => {
    expect(runRefresh('RUNNING', ['COMPLETED'])).toBe(LIVE_REFRESH_MS);
    expect(runRefresh('QUEUED', [])).toBe(LIVE_REFRESH_MS);
    expect(runRefresh('CANCELLED', ['RUNNING'])).toBe(LIVE_REFRESH_MS);
  });
  it('stops for a finished run', () => {
    expect(runRefresh('COMPLETED', ['COMPLETED', 'COMPLETED'])).toBe(false);
    expect(runRefresh('FAILED', ['COMPLETED', 'FAILED', 'SKIPPED'])).toBe(false);
  });
});
