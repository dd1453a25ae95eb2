import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";
import { zipOf } from "../helpers/xlsx.js";

const CONTENT_TYPES = Buffer.from(
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
);

test("an .xlsx zip bomb (sharedStrings inflating to 300 MiB, a few hundred KB on disk) is refused with a message, not read", {
  timeout: 60_000,
}, async (t) => {
  const dir = tempDir(t);
  // 300 MiB of the same string, deflated to well under a megabyte.
  const strings = Buffer.alloc(300 * 1024 * 1024, "<si><t>x</t></si>");
  for (const [name, declared] of [
    ["bomb.xlsx", undefined],
    ["lying.xlsx", 1000], // a header that claims a small part: the inflate cap still holds
  ] as const) {
    const file = join(dir, name);
    writeFileSync(
      file,
      zipOf([
        { name: "[Content_Types].xml", data: CONTENT_TYPES },
        { name: "xl/sharedStrings.xml", data: strings, ...(declared ? { declared } : {}) },
      ]),
    );
    const r = await runCli(["run", file, "--dry-run"], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /\[INPUT_TOO_LARGE\]: The workbook .* is too large to read safely: .*Export the sheet as "CSV UTF-8"/,
    );
  }
});
