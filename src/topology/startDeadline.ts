/**
 * How long a group of listeners may take to start (topology/group.ts); the plan's phase deadlines
 * (plan/deadlines.ts) scale it by the host's pace.
 */

/**
 * How long `workers` listener processes may take to start on `cpus` CPUs: 10 s, 0.3 s a listener, and
 * 0.5 s a listener per CPU, since each start costs CPU time and more listeners than CPUs start in turn;
 * all of it `scale` times on a slow host (the plan's deadlineScale).
 */
export function startDeadlineMs (workers: number, cpus: number, scale = 1): number {
  return scale * (10_000 + 300 * workers + Math.ceil(500 * workers / Math.max(1, cpus)))
}

/** What the start deadline allowed, for the message of a start that missed it. */
export function startDeadlineText (workers: number, cpus: number): string {
  return `the start deadline allows 10 s + 0.3 s a listener + 0.5 s a listener per CPU (${workers} listener${workers === 1 ? '' : 's'} on ${cpus} CPU${cpus === 1 ? '' : 's'}), times the host's pace measured before the run, and after the first group four times what it took; a host that slowed down since, a slow handler import or an emulated guest can still miss it: fewer listeners per CPU start in time, or --deadline-scale N gives every phase N times as long`
}
