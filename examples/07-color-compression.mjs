// Example 2: k-means for color compression (In [18]–[24]): the china photo's pixels as points in RGB space,
// reduced to 16 colours with MiniBatchKMeans, each pixel replaced by its cluster's center.
import { init, MiniBatchKMeans, takeRows } from 'wasmeans';
import { loadSampleImage } from 'wasmeans/datasets';

await init();
const china = loadSampleImage('china');
console.log(`china.shape: (${china.height}, ${china.width}, ${china.channels})`);

// data = china / 255.0; data = data.reshape(427 * 640, 3)
const n = china.height * china.width;
const data = { data: Float64Array.from(china.pixels, (v) => v / 255), rows: n, cols: 3 };
console.log(`data.shape: (${data.rows}, ${data.cols})`);

const distinct = (values) => {
  const seen = new Set();
  for (let i = 0; i < values.length; i += 3) seen.add((Math.round(values[i] * 255) << 16) | (Math.round(values[i + 1] * 255) << 8) | Math.round(values[i + 2] * 255));
  return seen.size;
};
console.log(`colours in the photo: ${distinct(data.data)}`);

const kmeans = new MiniBatchKMeans(16); // a number is nClusters, as MiniBatchKMeans(16)
kmeans.fit(data);
// new_colors = kmeans.cluster_centers_[kmeans.predict(data)]
const newColors = takeRows(kmeans.clusterCenters, kmeans.predict(data));
console.log(`new_colors.shape: (${newColors.rows}, ${newColors.cols}); colours after: ${distinct(newColors.data)}`);
console.log(`inertia (sum of squared colour errors over all pixels): ${kmeans.inertia.toFixed(1)}`);
// china_recolored = new_colors.reshape(china.shape), as 8-bit RGB again
const recolored = Uint8ClampedArray.from(newColors.data, (v) => Math.round(v * 255));
console.log(`china_recolored: ${recolored.length} bytes, ${china.width} × ${china.height} × 3`);
