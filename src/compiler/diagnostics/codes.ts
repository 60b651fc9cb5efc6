/**
 * The diagnostics catalogue: every code dlc can report, with its default
 * severity and a one-line title (used in docs and `--format json`).
 * DLC0xx: the document (YAML, schema, composition). DLC1xx: the model graph
 * and data checks. Append new codes in the right range; never reuse one.
 */
import type { Severity } from './diagnostics.js';

export interface CodeInfo {
  readonly severity: Severity;
  readonly title: string;
}

export const CODES = {
  /** A bug in dlc, not in the spec: reported (by the language server) instead of crashing. */
  DLC000: { severity: 'error', title: 'internal compiler error' },
  DLC001: { severity: 'error', title: 'YAML syntax error' },
  DLC002: { severity: 'error', title: 'duplicate key' },
  DLC003: { severity: 'error', title: 'spec is not a mapping' },
  DLC004: { severity: 'error', title: 'too many YAML aliases (possible alias bomb)' },
  DLC005: { severity: 'error', title: 'file too large' },
  DLC006: { severity: 'error', title: 'file is not valid UTF-8' },
  DLC007: { severity: 'error', title: 'file cannot be read' },
  DLC008: { severity: 'error', title: 'extends cycle' },
  DLC009: { severity: 'error', title: 'bad --set override' },
  DLC010: { severity: 'error', title: 'unknown key' },
  DLC011: { severity: 'error', title: 'wrong type' },
  DLC012: { severity: 'error', title: 'value out of range' },
  DLC013: { severity: 'error', title: 'value not allowed' },
  DLC014: { severity: 'error', title: 'missing required key' },
  DLC015: { severity: 'error', title: 'unknown layer kind' },
  DLC016: { severity: 'error', title: 'malformed value' },
  DLC017: { severity: 'error', title: 'wrong number of items' },
  DLC018: { severity: 'error', title: 'extends base is not a usable spec file' },
  DLC020: { severity: 'error', title: 'unknown block' },
  DLC021: { severity: 'error', title: 'unknown block parameter' },
  DLC022: { severity: 'error', title: 'too many layers after block expansion' },
  DLC023: { severity: 'error', title: 'block uses itself (a cycle of blocks)' },
  DLC024: { severity: 'error', title: 'model output stated twice' },
  DLC100: { severity: 'error', title: 'unknown layer reference' },
  DLC101: { severity: 'error', title: 'duplicate layer name' },
  DLC102: { severity: 'error', title: 'cycle in the model graph' },
  DLC103: { severity: 'error', title: 'in_channels disagrees with the inferred input' },
  DLC104: { severity: 'error', title: 'in_features disagrees with the inferred input' },
  DLC105: { severity: 'error', title: 'expect_shape disagrees with the inferred input' },
  DLC106: { severity: 'error', title: 'spatial size reaches zero' },
  DLC107: { severity: 'error', title: 'merge of incompatible shapes' },
  DLC108: { severity: 'error', title: 'output units disagree with the class count' },
  DLC109: { severity: 'warning', title: 'activation on logits' },
  DLC110: { severity: 'warning', title: 'unused layer' },
  DLC111: { severity: 'error', title: 'stated input_shape disagrees with the data set' },
  DLC112: { severity: 'error', title: 'stated num_classes disagrees with the data set' },
  DLC113: { severity: 'error', title: 'layer needs an input of another rank' },
  DLC114: { severity: 'error', title: 'reshape changes the element count' },
  DLC115: { severity: 'error', title: 'transform does not fit the data' },
  DLC116: { severity: 'error', title: 'merge needs two or more inputs' },
  DLC117: { severity: 'error', title: 'layer reads exactly one input' },
  DLC118: { severity: 'error', title: 'input shape or class count cannot be determined' },
  DLC119: { severity: 'error', title: 'model too large for the memory budget' },
  DLC122: { severity: 'warning', title: 'dropout rate 1 drops every activation' },
  DLC123: { severity: 'warning', title: 'a single class' },
  DLC124: { severity: 'error', title: 'input shapes do not broadcast' },
  DLC125: { severity: 'error', title: 'groups does not divide the channels' },
  DLC130: { severity: 'error', title: 'data column not in the file' },
  DLC131: { severity: 'error', title: 'data file cannot be read as a table' },
  DLC132: { severity: 'error', title: 'embedding input_dim smaller than the text vocabulary' },
  DLC140: { severity: 'error', title: 'softmax output for real or multi-label targets' },
  DLC141: { severity: 'error', title: 'classification loss on real targets' },
  DLC142: { severity: 'warning', title: 'regression loss on class targets' },
  DLC143: { severity: 'error', title: 'output width disagrees with the number of targets' },
  DLC144: { severity: 'error', title: 'softmax cross-entropy on multi-label targets' },
  DLC145: { severity: 'error', title: 'monitor the target does not produce' },
  DLC146: { severity: 'error', title: 'cycle_momentum with an optimizer without momentum' },
  DLC147: { severity: 'error', title: "one_cycle momentum out of the optimizer's range" },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;
