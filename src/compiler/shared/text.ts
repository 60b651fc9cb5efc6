/**
 * The text data set's tokenising, shared by the runtime loader, `dlc
 * predict --text` and emitted projects: HTML stripping, standardisation,
 * word / character tokens, the vocabulary fitted on the training split and
 * the encoding into token ids of a fixed length. No I/O. A pure leaf.
 *
 * Conventions (Keras `TextVectorization` is the reference for word mode):
 *  - standardisation: lower-case (when `lowercase`), then every ASCII
 *    punctuation character !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ is removed (not
 *    replaced: "don't" → "dont"), as Keras's `lower_and_strip_punctuation`;
 *    word mode then splits on whitespace. Character mode keeps punctuation
 *    (each code point is a token) and collapses whitespace runs to one space.
 *  - ids: 0 = padding, 1 = out of vocabulary, then the vocabulary's tokens
 *    from 2 (so an embedding needs input_dim ≥ vocab_size + 2).
 *  - vocabulary: the `vocab_size` most frequent tokens of the training texts,
 *    ties broken by code-point order of the token (deterministic).
 *  - length: the first `max_length` tokens are kept (truncation at the end,
 *    as Keras); shorter texts are padded with 0 at the end.
 */
import { decodeHTML } from 'entities';

/** Defaults of the data keys (the loader, the compiler's facts and the embedding check use these). */
export const TEXT_DEFAULTS = { tokenize: 'word', lowercase: true, strip_html: false, vocab_size: 10000, max_length: 200 } as const;

/** Ids below the first vocabulary id: 0 padding, 1 out of vocabulary. */
export const RESERVED_IDS = 2;
export const PAD_ID = 0;
export const OOV_ID = 1;

export interface TextOptions {
  readonly tokenize: 'word' | 'char';
  readonly lowercase: boolean;
  readonly strip_html: boolean;
  readonly max_length: number;
}

/** What a run saves (preprocessing.json) so eval, predict and emitted projects encode text as training did. */
export interface TextPreprocessing extends TextOptions {
  readonly kind: 'text';
  /** The vocabulary in id order from id 2 (ids 0 and 1 are padding and out of vocabulary). */
  readonly vocab: readonly string[];
  readonly classes: readonly string[];
  readonly targetType: 'class';
}

/** The part of the data section that says how to tokenise (absent keys take TEXT_DEFAULTS). */
export interface TextSpec {
  readonly tokenize?: 'word' | 'char';
  readonly lowercase?: boolean;
  readonly strip_html?: boolean;
  readonly vocab_size?: number;
  readonly max_length?: number;
}

export function textOptions(spec: TextSpec): TextOptions & { readonly vocab_size: number } {
  return {
    tokenize: spec.tokenize ?? TEXT_DEFAULTS.tokenize,
    lowercase: spec.lowercase ?? TEXT_DEFAULTS.lowercase,
    strip_html: spec.strip_html ?? TEXT_DEFAULTS.strip_html,
    vocab_size: spec.vocab_size ?? TEXT_DEFAULTS.vocab_size,
    max_length: spec.max_length ?? TEXT_DEFAULTS.max_length,
  };
}

// ---- UTF-8 ---------------------------------------------------------------------------------

/** Decodes bytes as UTF-8, replacing invalid sequences with U+FFFD; `invalid` tells whether any were. */
export function decodeUtf8Lenient(bytes: Uint8Array): { text: string; invalid: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), invalid: false };
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes), invalid: true };
  }
}

// ---- HTML ----------------------------------------------------------------------------------

/**
 * Decodes HTML character references as a browser does in text: every named
 * reference of the HTML5 table (with or without the `;` where HTML allows
 * it, e.g. `&amp` and `&copy`), `&#123;` and `&#x1F;` (0, surrogates and
 * values past U+10FFFF become U+FFFD; 0x80–0x9F map through Windows-1252);
 * an unknown name stays as written. The `entities` package's decodeHTML;
 * emitted Python projects use html.unescape with the same results
 * (dlc_runtime/texts.py keeps the control and non-characters html.unescape drops).
 */
export function decodeEntities(s: string): string {
  return s.includes('&') ? decodeHTML(s) : s;
}

/** Elements whose content is not text a reader sees. */
const HIDDEN_CONTENT = new Set(['script', 'style', 'head', 'title']);

/**
 * Drops HTML markup and keeps the text a reader sees, with entities decoded.
 * A tag is recognised only where HTML starts one: `<` or `</` followed by a
 * letter and a tag name ending at whitespace, `/` or `>`; `<!--…-->`,
 * `<!…>` and `<?…?>` are dropped too. Anything else keeps its `<`: "a < b",
 * "<john@example.com>" and "<http://…>" are text. Tags become a space so
 * words either side do not merge; script, style, head and title content is
 * dropped. An unclosed tag at the end is kept as text.
 */
export function stripHtml(html: string): string {
  let out = '';
  let i = 0;
  let hidden: string | undefined;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      if (hidden === undefined) out += html.slice(i);
      break;
    }
    if (hidden === undefined) out += html.slice(i, lt);
    i = lt;
    const next = html[lt + 1];
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? n : end + 3;
      out += ' ';
      continue;
    }
    if (next === '!' || next === '?') {
      const end = html.indexOf('>', lt + 2);
      if (end < 0) {
        if (hidden === undefined) out += html.slice(lt);
        break;
      }
      i = end + 1;
      out += ' ';
      continue;
    }
    const m = /^<(\/?)([A-Za-z][A-Za-z0-9-]*(?::[A-Za-z][A-Za-z0-9-]*)?)(?=[\s/>])/.exec(html.slice(lt, lt + 80));
    if (!m) {
      if (hidden === undefined) out += '<';
      i = lt + 1;
      continue;
    }
    // Find the tag's end, skipping quoted attribute values.
    let j = lt + m[0].length;
    let quote: string | undefined;
    for (; j < n; j++) {
      const c = html[j];
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") {
        // A quote opens a value only after `=` (possibly spaced); a stray quote is ignored.
        if (/=\s*$/.test(html.slice(Math.max(lt, j - 8), j))) quote = c;
      } else if (c === '>') break;
    }
    if (j >= n) {
      if (hidden === undefined) out += html.slice(lt);
      break;
    }
    const name = m[2].toLowerCase();
    if (m[1] === '' && HIDDEN_CONTENT.has(name) && !/\/\s*$/.test(html.slice(lt, j))) hidden = hidden ?? name;
    else if (m[1] === '/' && hidden === name) hidden = undefined;
    out += ' ';
    i = j + 1;
  }
  return decodeEntities(out);
}

// ---- tokens --------------------------------------------------------------------------------

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** The tokens of one text, after HTML stripping (optional) and standardisation. */
export function tokenizeText(text: string, opts: Pick<TextOptions, 'tokenize' | 'lowercase' | 'strip_html'>): string[] {
  let s = opts.strip_html ? stripHtml(text) : text;
  if (opts.lowercase) s = s.toLowerCase();
  if (opts.tokenize === 'char') return [...s.replace(/\s+/g, ' ').trim()];
  return s.replace(PUNCTUATION, '').split(/\s+/).filter((t) => t !== '');
}

/** The `size` most frequent tokens (count descending, then code-point order), in id order from id 2. */
export function fitVocabulary(tokenLists: Iterable<readonly string[]>, size: number): string[] {
  const counts = new Map<string, number>();
  for (const tokens of tokenLists) for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, size).map(([t]) => t);
}

/** Token ids of one text: the first max_length tokens (vocabulary ids from 2, OOV 1), padded with 0 at the end. */
export function encodeTokens(tokens: readonly string[], ids: ReadonlyMap<string, number>, maxLength: number, out: Int32Array = new Int32Array(maxLength), offset = 0): Int32Array {
  const n = Math.min(tokens.length, maxLength);
  for (let i = 0; i < n; i++) out[offset + i] = ids.get(tokens[i]) ?? OOV_ID;
  for (let i = n; i < maxLength; i++) out[offset + i] = PAD_ID;
  return out;
}

/** The id of every vocabulary token (from 2). */
export function vocabularyIds(vocab: readonly string[]): Map<string, number> {
  return new Map(vocab.map((t, i) => [t, i + RESERVED_IDS]));
}

/** Encodes texts with a run's saved preprocessing: count × max_length token ids, and how many tokens fell outside the vocabulary. */
export function encodeTexts(pre: TextPreprocessing, texts: readonly string[]): { ids: Int32Array; oov: number; truncated: number } {
  const ids = new Int32Array(texts.length * pre.max_length);
  const map = vocabularyIds(pre.vocab);
  let oov = 0;
  let truncated = 0;
  texts.forEach((t, i) => {
    const tokens = tokenizeText(t, pre);
    if (tokens.length > pre.max_length) truncated++;
    for (const tok of tokens.slice(0, pre.max_length)) if (!map.has(tok)) oov++;
    encodeTokens(tokens, map, pre.max_length, ids, i * pre.max_length);
  });
  return { ids, oov, truncated };
}
