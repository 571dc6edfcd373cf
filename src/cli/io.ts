/** What a subcommand may touch of the outside world; main.ts fills it from `process`. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Standard input, for `hash-password` (a password never goes on the command line). */
  readonly stdin?: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Absolute path of the embedded `config/provd.yaml`. */
  readonly defaultConfig: string;
  /** This process's id and memory, for the daemon's runtime file and `ready` line. */
  readonly pid: number;
  readonly memoryUsage: () => NodeJS.MemoryUsage;
}
