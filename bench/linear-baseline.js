// The least-squares baseline of a regression spec (csv, target_type: real) on dlc's own split: for each seed the
// spec's loader makes the same train/test rows and encoding as `dlc run --set seed=N` (numeric columns standardised on
// the training rows, categorical ones one-hot), an ordinary least-squares line with an intercept is solved on the
// training rows, and its test MAE / RMSE are printed in the target's units. Used for the README's Auto MPG reference.
//   node bench/linear-baseline.js specs/auto-mpg.yaml [SEED…]        (npm run build first; default seeds 42 1 2 3 4)
import { compileFile } from '../dist/compiler/compile.js';
import { loadDataset } from '../dist/runtime/data/load.js';

const [specPath, ...seedArgs] = process.argv.slice(2);
if (!specPath) {
  process.stderr.write('usage: node bench/linear-baseline.js SPEC [SEED…]\n');
  process.exit(2);
}
const seeds = seedArgs.length > 0 ? seedArgs.map(Number) : [42, 1, 2, 3, 4];

/** Solves (AᵀA + λI)w = Aᵀy by Gaussian elimination with partial pivoting; λ only guards one-hot collinearity. */
function leastSquares(rows, y, width) {
  const n = width + 1;
  const m = Array.from({ length: n }, () => new Float64Array(n + 1));
  for (let r = 0; r < rows.length; r++) {
    const a = [1, ...rows[r]];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) m[i][j] += a[i] * a[j];
      m[i][n] += a[i] * y[r];
    }
  }
  for (let i = 1; i < n; i++) m[i][i] += 1e-9 * rows.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return Array.from({ length: n }, (_, i) => m[i][n] / m[i][i]);
}

const rowsOf = (set) => {
  const width = set.shape.reduce((a, b) => a * b, 1);
  return { width, rows: Array.from({ length: set.count }, (_, i) => Array.from(set.x.values.subarray(i * width, (i + 1) * width))) };
};

const maes = [];
for (const seed of seeds) {
  const { ir, diagnostics } = compileFile(specPath, { overrides: [`seed=${seed}`, 'data.validation_split=0'] });
  if (!ir) throw new Error(diagnostics.map((d) => d.message).join('; '));
  const data = await loadDataset(ir.spec.data, { seed, cacheDir: '', log: () => {} });
  if (data.train.target.kind !== 'real' || data.train.target.width !== 1) throw new Error(`${specPath}: not a one-output regression (target ${JSON.stringify(data.train.target)})`);
  const tr = rowsOf(data.train);
  const te = rowsOf(data.test);
  const w = leastSquares(tr.rows, data.train.targets, tr.width);
  let ae = 0;
  let se = 0;
  te.rows.forEach((r, i) => {
    const d = w[0] + r.reduce((s, v, k) => s + v * w[k + 1], 0) - data.test.targets[i];
    ae += Math.abs(d);
    se += d * d;
  });
  const mae = ae / te.rows.length;
  maes.push(mae);
  process.stdout.write(`seed ${seed}: ${tr.rows.length} training / ${te.rows.length} test rows, least squares MAE ${mae.toFixed(3)}, RMSE ${Math.sqrt(se / te.rows.length).toFixed(3)}\n`);
}
process.stdout.write(`mean MAE over ${seeds.length} seeds: ${(maes.reduce((a, b) => a + b, 0) / maes.length).toFixed(3)}\n`);
