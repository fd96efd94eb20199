// The browser test's threaded app: on a crossOriginIsolated page (COOP/COEP headers) fitAsync shares each
// Lloyd iteration with a Web Worker over a shared memory. Writes into #result whether the page is isolated, how
// many workers were started, and whether the result is the synchronous fit's, bit for bit.
import { init, KMeans } from 'wasmeans';
import { makeBlobs } from 'wasmeans/datasets';
import { show } from './page.js';

let workers = 0;
const NativeWorker = globalThis.Worker;
globalThis.Worker = class extends NativeWorker {
  constructor(...args) {
    super(...args);
    workers++;
  }
};


try {
  await init();
  // Two row chunks of 16 384 (k·d = 128), so that there is work to share.
  const { X } = makeBlobs({ nSamples: 20000, nFeatures: 16, centers: 8, randomState: 0 });
  const options = { nClusters: 8, randomState: 0, algorithm: 'lloyd', maxIter: 50 };
  const sync = new KMeans(options).fit(X);
  const threaded = await new KMeans(options).fitAsync(X, { threads: 2 });
  const same =
    threaded.nIter === sync.nIter &&
    threaded.inertia === sync.inertia &&
    threaded.labels.every((label, i) => label === sync.labels[i]) &&
    threaded.clusterCenters.data.every((value, i) => value === sync.clusterCenters.data[i]);
  show(JSON.stringify({ isolated: globalThis.crossOriginIsolated === true, workers, same }));
} catch (error) {
  show(error instanceof Error ? `${error.name}: ${error.message}` : String(error), true);
}
