import { Transform } from "node:stream";
import { UserError } from "../util/errors.js";

function countNewlines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}

/**
 * Passes bytes through while checking that they are UTF-8, so that no replacement character (U+FFFD
 * for a byte that was not text) ever reaches a paid API. On the first bad byte it fails with the
 * line it is on and how to save the file properly.
 */
export function checkUtf8(path: string): Transform {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let line = 1;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        // Find the line of the first bad byte within this chunk.
        let good = 0;
        const probe = new TextDecoder("utf-8", { fatal: true });
        for (let end = 1; end <= chunk.length; end++) {
          try {
            probe.decode(chunk.subarray(good, end), { stream: true });
            good = end;
          } catch {
            break;
          }
        }
        line += countNewlines(chunk.subarray(0, good));
        done(
          new UserError(
            "INPUT_ENCODING",
            `The input CSV ${path} is not UTF-8 text: line ${line} has a byte that is not UTF-8 (a file saved as Windows-1252 or Latin-1 looks like this). Save it as "CSV UTF-8" and run again; nothing was submitted.`,
          ),
        );
        return;
      }
      line += countNewlines(chunk);
      done(null, chunk);
    },
    flush(done) {
      try {
        decoder.decode();
        done();
      } catch {
        done(
          new UserError(
            "INPUT_ENCODING",
            `The input CSV ${path} ends in the middle of a character: it is not whole UTF-8 text. Save it as "CSV UTF-8" and run again.`,
          ),
        );
      }
    },
  });
}
