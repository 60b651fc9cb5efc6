/**
 * The exhaustiveness guard for `switch`es over a union's `kind`: a case left
 * out makes the call fail to type-check, and a value that slips past the
 * types anyway (hand-built input) throws instead of falling through.
 *
 * Pure and dependency-free: the runtime may import it (it is copied into
 * emitted projects), so it must stay that way.
 */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
