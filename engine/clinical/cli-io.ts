/**
 * The streams a CLI command reads and writes, passed in so tests run commands in-process with
 * in-memory streams.
 */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}
