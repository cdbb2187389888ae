import type { Workspace } from '@fawkes/plugin-che-launcher-common';

/** The states the UI shows: the API's four plus Che's Failing and Failed. */
export type ShownStatus = 'Starting' | 'Running' | 'Stopping' | 'Stopped' | 'Failing' | 'Failed';

/** A workspace as the UI reads it: the API's fields, and Che's `statusMessage` where the backend sends it. */
export type WorkspaceView = Workspace & {
  statusMessage?: string | null;
};

/** The shown state: the API's status, with a failed DevWorkspace phase shown as such. */
export function shownStatus(workspace: WorkspaceView): ShownStatus {
  const status = workspace.status as string;
  if (status === 'Failing' || status === 'Failed') return status;
  if (workspace.phase === 'Failed' || workspace.phase === 'Error') return 'Failed';
  if (workspace.phase === 'Failing' && status !== 'Starting') return 'Failing';
  return workspace.status;
}

/** States that change by themselves: while any workspace is in one, the UI refreshes. */
export function isChanging(status: ShownStatus): boolean {
  return status === 'Starting' || status === 'Stopping' || status === 'Failing';
}

/** "3 minutes ago", "in 2 hours", "just now". */
export function relativeTime(iso: string, now = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '—';
  const seconds = Math.round((then - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(seconds, 'second');
}

/** "2026-12-01 09:48 UTC", for tooltips and screen readers. */
export function absoluteTime(iso: string): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return '—';
  return `${then.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}
