/**
 * Everything a lab starts is removed at the end, even when a test fails or the worker dies: labs
 * register a synchronous teardown here, run by stop() (afterAll) or, failing that, by the process's
 * exit and signal handlers. Leftovers of an earlier crashed run are removed by name before a lab starts.
 */
const teardowns = new Map<string, () => void>();
let installed = false;

function runAll(): void {
  for (const [name, teardown] of [...teardowns]) {
    teardowns.delete(name);
    try {
      teardown();
    } catch {
      // best effort: the next run's leftover cleanup removes what is still there
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      runAll();
      process.kill(process.pid, signal);
    });
  }
}

/** Registers the synchronous teardown of one lab; returns a function that runs and unregisters it. */
export function registerTeardown(lab: string, teardown: () => void): () => void {
  install();
  teardowns.set(lab, teardown);
  return () => {
    if (!teardowns.delete(lab)) return;
    teardown();
  };
}
