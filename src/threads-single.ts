// fitAsync's threads where there are none to have (the workerd entry, through rollup.config.mjs): the fit runs
// on this thread, as src/threads.ts does there too, without carrying its worker code.
import type { Engine } from './threads';

export function withThreads<T>(_threads: number | undefined, fit: (engine?: Engine) => T): Promise<T> {
  return Promise.resolve().then(() => fit());
}

export async function shutdownThreads(): Promise<void> {}
