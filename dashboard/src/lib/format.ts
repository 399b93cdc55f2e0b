/** Formatting for people: percentages, durations, dates. */

export function pct(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return `${(x * 100).toFixed(digits)}%`;
}

/** "3 s", "4 min 5 s", "2 h 3 min". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "Nov 29, 12:48 PM" this year, "Nov 29, 2025, 12:48 PM" before. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameYear = d.getFullYear() === new Date().getFullYear();
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', year: sameYear ? undefined : 'numeric', hour: 'numeric', minute: '2-digit' });
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", else the date. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const s = (now - new Date(iso).getTime()) / 1000;
  if (!Number.isFinite(s)) return iso;
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  if (s < 86_400 * 14) return `${Math.round(s / 86_400)} days ago`;
  return dateTime(iso);
}

/** Seconds between two ISO times, or until now when the second is absent. */
export function secondsBetween(from: string | null, to: string | null, now = Date.now()): number | null {
  if (!from) return null;
  return ((to ? new Date(to).getTime() : now) - new Date(from).getTime()) / 1000;
}

export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** The mean of a run's or checkpoint's per-field accuracy, or null when it has none. */
export function meanAccuracy(accuracy: Record<string, number> | null | undefined): number | null {
  const values = Object.values(accuracy ?? {}).filter((v) => Number.isFinite(v));
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** A field's title: its label when the PSA gave it one, else its name made readable. */
export function fieldTitle(field: { name: string; label?: string | null }): string {
  return field.label && field.label !== field.name ? field.label : humanize(field.name);
}

/** Field names as people read them: "sub_issue_type" → "Sub issue type". */
export function humanize(name: string): string {
  const s = name.replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}
