/** Python identifier rules for the pytorch target (keywords, soft keywords and names the templates use). */
import type { IdentifierRules } from '../common/identifiers.js';

const KEYWORDS = [
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield', 'match', 'case', 'type', '_',
];
/** Names model.py itself uses at module or class level (nn.Module's own attributes included). */
const TEMPLATE_NAMES = [
  'torch', 'nn', 'F', 'math', 'layers', 'self', 'x', 'Model', 'forward', 'training', 'train', 'eval', 'parameters', 'modules', 'children',
  'state_dict', 'load_state_dict', 'to', 'cuda', 'cpu', 'float', 'double', 'half', 'apply', 'register_buffer', 'register_parameter',
  'add_module', 'named_modules', 'named_parameters', 'buffers', 'zero_grad', 'requires_grad_', 'type', 'extra_repr', 'dump_patches',
  'TFJS_NAMES', 'INPUT_SHAPE', 'NUM_CLASSES', 'CLASS_NAMES', 'build_model', 'print', 'len', 'range', 'list', 'dict', 'tuple', 'int', 'str',
];

export const PY_IDENTIFIERS: IdentifierRules = {
  pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
  reserved: new Set([...KEYWORDS, ...TEMPLATE_NAMES]),
};
