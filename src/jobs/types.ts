/** What the admin API sees of the scheduled jobs. */
export interface JobRunReport {
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly durationMs: number;
  readonly result: 'ok' | 'failed' | 'skipped';
  readonly message: string;
}

export interface JobInfo {
  readonly name: string;
  readonly schedule: string;
  readonly timezone: string;
  readonly nextRun: number | null;
  readonly running: boolean;
  readonly lastRun: JobRunReport | null;
}

export interface JobControl {
  list(): readonly JobInfo[];
  /** Runs a job now (unless it is running: then `skipped`); undefined for an unknown name. */
  runNow(name: string): Promise<JobRunReport> | undefined;
}
