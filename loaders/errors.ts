import {MEMORY_SIZE} from "./size.js";

/** Base class of the errors a user can act on; the CLI prints their message without a stack trace. */
export class PipelineError extends Error {
  /** Process exit code the CLI uses for this kind of failure. */
  readonly exitCode: number = 1;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A bad option, flag or configuration file. */
export class UsageError extends PipelineError {
  override readonly exitCode = 2;
}

/** Another run holds the lock. */
export class LockError extends PipelineError {
  override readonly exitCode = 3;
}

/** An input file that cannot be read at all; the message starts with the file's path. */
export class InputFileError extends PipelineError {
  constructor(
    readonly file: string,
    readonly reason: string
  ) {
    super(`${file}: ${reason}`);
  }
}

/** Several input files failed; all of them are listed so they can be fixed in one go. */
export class InputFilesError extends PipelineError {
  constructor(readonly errors: readonly InputFileError[]) {
    super(
      errors.length === 1 ? errors[0].message : `${errors.length} input files cannot be loaded:\n${errors.map((error) => `  - ${error.message}`).join("\n")}`
    );
  }
}

/** The run was stopped (Ctrl-C) before it finished; nothing was published. */
export class InterruptedError extends PipelineError {
  override readonly exitCode = 130;
}

/** One or more error-severity data-quality checks failed. */
export class QualityError extends PipelineError {}

/** A stage ran past its time or memory budget and was stopped; the previous snapshots are untouched. */
export class StageBudgetError extends PipelineError {
  override readonly exitCode = 4;
}

/**
 * A stage failed with an error of its own (DuckDB's, a model's): names the stage, keeps the original
 * message (and the error as `cause`), and says what to do when DuckDB ran out of its memory limit.
 */
export class StageFailedError extends PipelineError {
  constructor(stage: string, error: unknown, {memoryLimit}: {memoryLimit: string}) {
    const message = error instanceof Error ? error.message : String(error);
    const outOfMemory = /Out of Memory Error/i.test(message);
    super(
      `stage ${stage} failed: ${outOfMemory ? message.split("\n")[0] : message}` +
        (outOfMemory
          ? `\nDuckDB needed more than its memory limit of ${memoryLimit} (shared by the stages that run at once); the previous snapshots are unchanged. ` +
            `Raise memoryLimit in retail.config.json (or --memory-limit SIZE, e.g. ${doubled(memoryLimit)}), or run fewer stages at once (--stages-at-once 1).`
          : "")
    );
    this.cause = error;
  }
}

/** Twice a DuckDB size ("2GB" → "4GB"), for a suggestion; "8GB" when the size is not of that form. */
function doubled(size: string): string {
  const match = MEMORY_SIZE.exec(size.trim());
  return match ? `${Number(match[1]) * 2}${match[2]}` : "8GB";
}
