/** An error the user can act on (bad run directory, resume mismatch, missing checkpoint): printed without a stack. */
export class RunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunError';
  }
}
