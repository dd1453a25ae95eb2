import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadEnv } from "../../src/cli/load-env.js";
import { tempDir } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

test(".env is read the way dotenv files are written; the real environment wins", (t) => {
  const dir = tempDir(t);
  writeFileSync(
    join(dir, ".env"),
    [
      "# vidbatch",
      'KIE_API_KEY="abc"   ',
      'X="a # b" # note',
      "export Y=plain # comment",
      "Z='single'",
      "KLING_SECRET_KEY=from-file",
      "",
    ].join("\n"),
  );
  const env = loadEnv(dir, { KLING_SECRET_KEY: "from-env" });
  assert.equal(env.KIE_API_KEY, "abc", "quotes and trailing spaces are not part of the key");
  assert.equal(env.X, "a # b", "a # inside quotes is text");
  assert.equal(env.Y, "plain");
  assert.equal(env.Z, "single");
  assert.equal(env.KLING_SECRET_KEY, "from-env");
  assert.deepEqual(loadEnv(join(dir, "nowhere"), { A: "1" }), { A: "1" });
});
