import type { AcceptedRow, RecordSink } from '../ingest-file';

/**
 * A sink that keeps up to `depth` writes in flight, so that parsing the next rows overlaps with
 * storing the previous ones. A failed write surfaces on the next write() or on drain(); nothing is
 * reported as applied before drain() has resolved.
 */
export class WritePipeline implements RecordSink {
  readonly #inFlight = new Set<Promise<void>>();
  #failure: unknown;
  #failed = false;

  constructor(
    private readonly writeRows: (rows: readonly AcceptedRow[]) => Promise<void>,
    private readonly depth: number,
  ) {}

  async write(rows: readonly AcceptedRow[]): Promise<void> {
    this.#throwIfFailed();
    while (this.#inFlight.size >= this.depth) {
      await Promise.race(this.#inFlight);
      this.#throwIfFailed();
    }
    const write: Promise<void> = this.writeRows(rows).then(
      () => {
        this.#inFlight.delete(write);
      },
      (error: unknown) => {
        this.#inFlight.delete(write);
        if (!this.#failed) {
          this.#failed = true;
          this.#failure = error;
        }
      },
    );
    this.#inFlight.add(write);
  }

  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#failed) throw this.#failure;
  }
}
