/**
 * The backend names `--backend` accepts, declared once: `dlc run/eval/predict`
 * (cli/run-args.ts), the emitted project's argument parser and select.ts all
 * read this list. Free of TensorFlow.js so that argument parsing does not
 * load it.
 */

/** Every `--backend` value, `auto` first (the default). */
export const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;

/** A `--backend` value. */
export type BackendChoice = (typeof BACKENDS)[number];

/** A concrete backend (what `auto` resolves to). */
export type BackendName = Exclude<BackendChoice, 'auto'>;

/** Whether `s` is one of BACKENDS. */
export function isBackendChoice(s: string): s is BackendChoice {
  return (BACKENDS as readonly string[]).includes(s);
}
