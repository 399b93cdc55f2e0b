/** One line per message on stderr, with a level; quiet in tests unless TRIAGE_LOG says otherwise. */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export function createLogger(opts: { quiet?: boolean } = {}): Logger {
  const write = (level: string) => (msg: string) => {
    if (opts.quiet && level !== 'error') return;
    process.stderr.write(`${new Date().toISOString()} ${level} ${msg}\n`);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
