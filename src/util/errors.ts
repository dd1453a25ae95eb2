/**
 * "Stop, the user was told": the CLI prints the message and exits with `exitCode`. Anything else
 * that escapes to the entry point is a bug and is reported as one.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
    readonly code: string = "USAGE",
  ) {
    super(message);
    this.name = "UserError";
  }
}
