/**
 * What every IR pass receives besides the IR: positions, the data facts,
 * and the layer spec behind each node (for stated expectations and key
 * positions).
 */
import type { Locator } from '../../diagnostics/report.js';
import type { Diagnostic } from '../../diagnostics/diagnostics.js';
import type { DataFacts } from '../datasets.js';
import type { IR, IRNode } from '../../ir.js';
import type { LayerSpec } from '../../spec.js';

export interface PassContext extends Locator {
  readonly facts: DataFacts;
  /** The layer a node was lowered from (undefined for the input node). */
  layerOf(id: string): LayerSpec | undefined;
}

/** A static check on the IR. Pure: reads the IR, returns diagnostics. */
export type Pass = (ir: IR, ctx: PassContext) => Diagnostic[];

/**
 * False for nodes whose shape could not be inferred (an earlier error on
 * them or upstream); passes skip them so one mistake gives one diagnostic.
 * Such nodes exist only in the IR passes see, never in a returned IR.
 */
export function isInferred(node: IRNode): boolean {
  return node.shape.length > 0;
}
