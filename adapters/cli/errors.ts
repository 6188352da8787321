/**
 * Exit codes and the one error type of the CLI. Every failure ends as one line on stderr:
 * `edge-jwt <command>: <what is wrong>`. Messages never contain a token.
 * @module
 */

/** Exit codes, documented in the README (`edge-jwt`: the command-line tool). */
export const EXIT = {
  /** Success; for `verify`, the token is valid. */
  ok: 0,
  /** The token was refused (verify) or cannot be decoded (inspect). */
  refused: 1,
  /** Wrong usage: unknown option, missing argument, unreadable key file, invalid configuration. */
  usage: 2,
  /** The verdict could not be reached: keys unavailable (issuer unreachable). */
  unavailable: 3,
} as const;

/**
 * A failure to report as one line on stderr with an exit code.
 *
 * @example
 * ```ts
 * throw new CliError("--exp must be a duration like 1h, 30m or 90s");
 * ```
 */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}
