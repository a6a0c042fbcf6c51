/**
 * A duration for a message: "250 ms", "2 s", "1.5 s", "10 min". A sub-second one must not read
 * "0 s"; `up` rounds up (a wait asked for is never shown shorter than it is).
 */
export function formatDuration(ms: number, round: 'nearest' | 'up' = 'nearest'): string {
  const fix = (value: number) => {
    const tenths = round === 'up' ? Math.ceil(value * 10) / 10 : Math.round(value * 10) / 10;
    return Number.isInteger(tenths) ? String(tenths) : tenths.toFixed(1);
  };
  if (ms < 1_000) return `${round === 'up' ? Math.ceil(ms) : Math.round(ms)} ms`;
  if (ms < 600_000) return `${fix(ms / 1_000)} s`;
  return `${fix(ms / 60_000)} min`;
}
