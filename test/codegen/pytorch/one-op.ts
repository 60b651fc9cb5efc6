/**
 * The harness the `conventions: pytorch` initial-weight tests share (conventions-init.test.ts,
 * conventions-init-seq.test.ts): an IR of one op after an input, and, in Python, a rendered
 * project's build_model() with its own model.py and dlc_runtime.
 */
import { normalizeLayer } from '../../../src/compiler/front/normalize-layer.js';
import type { IR, IRNode } from '../../../src/compiler/ir.js';
import { lowerAttrs } from '../../../src/compiler/lower/lower.js';
import { OPS, type OpKind } from '../../../src/compiler/ops/index.js';
import type { Shape } from '../../../src/compiler/ops/op-def.js';
import { nodeRecipes } from '../../../src/compiler/ops/recipe.js';
import type { Conventions } from '../../../src/compiler/spec.js';
import { tinySpec } from '../../runtime/model/ir-fixtures.js';

/** input → `kind` (raw spec attributes) with `conventions`' initial-weight recipes; `inputDType` is set only when given. */
export function oneOpIR(kind: OpKind, raw: unknown, input: Shape, conventions: Conventions, seed: number, inputDType?: 'float32' | 'int32'): IR {
  const attrs = lowerAttrs(normalizeLayer({ [kind]: raw }, '/model/layers/0'));
  const shape = OPS[kind].infer(attrs as never, [input]).shape;
  const source = { file: 'ops.yaml', path: '/model/layers/0', line: 1, col: 1 };
  const base = { params: { trainable: 0, nonTrainable: 0 }, macs: 0, named: true, source };
  const bare: Omit<IRNode, 'layers'>[] = [
    { ...base, id: 'input', op: 'input', attrs: { shape: input }, inputs: [], shape: input },
    { ...base, id: `the.${kind}`, op: kind, attrs, inputs: ['input'], shape },
  ];
  const recipes = nodeRecipes(bare, seed, inputDType ?? 'float32', conventions);
  const nodes = bare.map((n, i) => ({ ...n, layers: recipes[i] }));
  return { file: 'ops.yaml', spec: { ...tinySpec(), seed, conventions }, nodes, outputId: nodes[1].id, inputShape: input, ...(inputDType ? { inputDType } : {}), numClasses: 2 } as unknown as IR;
}

/** Python: fresh_model(dir) → (build_model() of the project in dir, its export_tfjs_weights), the project's own modules. */
export const PY_FRESH_MODEL = `import importlib, sys
def fresh_model(d):
    sys.path.insert(0, d)
    try:
        for m in [k for k in sys.modules if k == 'model' or k.startswith('dlc_runtime')]:
            del sys.modules[m]
        model = importlib.import_module('model').build_model()
        from dlc_runtime.weights import export_tfjs_weights
        return model, export_tfjs_weights
    finally:
        sys.path.pop(0)
`;
