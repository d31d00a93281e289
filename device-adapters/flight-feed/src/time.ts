/** A timestamp as the feed writes it: whole seconds, at the airport's UTC offset ("Z" for 0). */
export function formatTime(ms: number, utcOffsetMinutes = 0): string {
  const local = new Date(Math.round(ms / 1000) * 1000 + utcOffsetMinutes * 60_000).toISOString().slice(0, 19);
  return `${local}${offsetText(utcOffsetMinutes)}`;
}

/** "+08:00", "-05:30", or "Z" for UTC. */
export function offsetText(utcOffsetMinutes: number): string {
  if (utcOffsetMinutes === 0) return 'Z';
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const m = Math.abs(utcOffsetMinutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Parses "+08:00", "-0530", "+8", "Z" or "UTC" into minutes east of UTC; null when it is none of those. */
export function parseOffset(text: string): number | null {
  const t = text.trim();
  if (t === 'Z' || t.toUpperCase() === 'UTC') return 0;
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(t);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (minutes > 14 * 60) return null;
  return m[1] === '-' ? -minutes : minutes;
}
