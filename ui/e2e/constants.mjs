// Mirrors src/lib/logTail.ts, which the tests cannot import (TypeScript).
export const AFTER_END_MS = 15_000;
