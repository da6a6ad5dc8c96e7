/**
 * Runs `fn` and says how long it took and how much CPU this process spent on it, in ms.
 * Its own module: the worker processes run compiled from dist/, where processes.ts,
 * which imports bin/, cannot be loaded.
 */
export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number; cpuMs: number }> {
  const start = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await fn();
  const cpu = process.cpuUsage(cpuBefore);
  return { result, ms: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000 };
}
