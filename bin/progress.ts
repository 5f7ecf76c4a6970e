/**
 * A progress line on stderr for work that takes more than a second: one
 * line rewritten in place, cleared when the work is done. Off when stderr
 * is not a terminal, so logs and pipes get only the result.
 */
export interface Progress {
  update(message: string): void;
  done(): void;
}

export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr, afterMs = 1000): Progress {
  const started = performance.now();
  let shown = false;
  return {
    update(message) {
      if (!stream.isTTY) return;
      const elapsed = performance.now() - started;
      if (elapsed < afterMs) return;
      stream.write(`\r\x1b[2K${label}: ${message} (${(elapsed / 1000).toFixed(1)} s)`);
      shown = true;
    },
    done() {
      if (shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}
