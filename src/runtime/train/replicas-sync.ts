/**
 * The replicas' blocking exchange of small vectors inside a step (batch
 * norm's per-channel statistics, model/sync-batch-norm.ts): one
 * SharedArrayBuffer seen by the main thread and every worker replica, and a
 * barrier on Atomics.
 *
 * Layout: an Int32 control block [generation, arrived, aborted,
 * participants], then two banks of `replicas` slots of `capacity` float64
 * each. An exchange: read the generation g, write the vector into slot
 * [g mod 2][replica], count in; the last to arrive resets the count, bumps
 * the generation and wakes the others; then everyone reads the
 * participants' slots of bank g mod 2. Two banks suffice: a replica can
 * only write bank g mod 2 again at exchange g + 2, after everyone has
 * arrived at g + 1, i.e. finished reading g.
 *
 * Every replica runs the same model, so they make the same exchanges in the
 * same order; the main thread sets the participant count between steps
 * (replicas with rows in this batch: a prefix, see splitRows). A replica
 * that fails sets `aborted` and wakes the rest, which then throw instead of
 * waiting; a replica that vanishes without that is noticed after
 * `timeoutMs`.
 */
import type { BatchNormExchange } from '../model/sync-batch-norm.js';

const GEN = 0;
const ARRIVED = 1;
const ABORTED = 2;
const PARTICIPANTS = 3;
const CONTROL_BYTES = 32;

/** What a replica needs to join the exchange (travels in workerData). */
export interface ExchangeInit {
  readonly buffer: SharedArrayBuffer;
  readonly replicas: number;
  /** Float64 values per slot: the longest vector any exchange sends. */
  readonly capacity: number;
}

/** A new exchange for `replicas` replicas sending at most `capacity` values at a time. */
export function createExchange(replicas: number, capacity: number): ExchangeInit {
  return { buffer: new SharedArrayBuffer(CONTROL_BYTES + 2 * replicas * capacity * 8), replicas, capacity };
}

export class ExchangeAborted extends Error {}

export class SharedExchange implements BatchNormExchange {
  private readonly control: Int32Array;
  private readonly data: Float64Array;

  constructor(
    private readonly init: ExchangeInit,
    /** This replica's position (the main thread is 0). */
    readonly index: number,
    private readonly timeoutMs = 120_000,
  ) {
    this.control = new Int32Array(init.buffer, 0, CONTROL_BYTES / 4);
    this.data = new Float64Array(init.buffer, CONTROL_BYTES, 2 * init.replicas * init.capacity);
  }

  /** Main thread, between steps (no exchange under way): how many replicas take part in the next one. */
  setParticipants(count: number): void {
    if (count < 1 || count > this.init.replicas) throw new Error(`exchange: ${count} participants of ${this.init.replicas} replicas`);
    Atomics.store(this.control, PARTICIPANTS, count);
  }

  get aborted(): boolean {
    return Atomics.load(this.control, ABORTED) !== 0;
  }

  /** Makes every replica waiting in (or later entering) an exchange throw: one of them failed. */
  abort(): void {
    Atomics.store(this.control, ABORTED, 1);
    Atomics.notify(this.control, GEN);
  }

  gather(local: Float64Array): Float64Array[] {
    const { capacity, replicas } = this.init;
    if (local.length > capacity) throw new Error(`exchange: ${local.length} values do not fit a slot of ${capacity}`);
    const participants = Atomics.load(this.control, PARTICIPANTS);
    if (this.index >= participants) throw new Error(`exchange: replica ${this.index} is not among the ${participants} of this step`);
    this.check();
    const gen = Atomics.load(this.control, GEN);
    const bank = (gen & 1) * replicas;
    this.data.set(local, (bank + this.index) * capacity);
    if (Atomics.add(this.control, ARRIVED, 1) === participants - 1) {
      Atomics.store(this.control, ARRIVED, 0);
      Atomics.add(this.control, GEN, 1);
      Atomics.notify(this.control, GEN);
    } else {
      const deadline = Date.now() + this.timeoutMs;
      while (Atomics.load(this.control, GEN) === gen) {
        this.check();
        const left = deadline - Date.now();
        if (left <= 0) {
          this.abort();
          throw new ExchangeAborted(`data-parallel replica ${this.index}: the other replicas did not reach batch norm's exchange within ${Math.round(this.timeoutMs / 1000)} s`);
        }
        Atomics.wait(this.control, GEN, gen, Math.min(left, 1000));
      }
    }
    this.check();
    return Array.from({ length: participants }, (_, k) => this.data.slice((bank + k) * capacity, (bank + k) * capacity + local.length));
  }

  private check(): void {
    if (this.aborted) throw new ExchangeAborted(`data-parallel replica ${this.index}: another replica failed during the step`);
  }
}
