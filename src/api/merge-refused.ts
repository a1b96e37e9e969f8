/** Why `kms-bench merge` refused its inputs: its own module, so the merge's front door and its work both name it. */

/** The results cannot be merged: every reason, each naming its file and field (`kms-bench merge` exits 2). */
export class MergeRefusedError extends Error {
  override readonly name = 'MergeRefusedError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}
