import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

/** A zip of `entries` (deflated, sizes declared as given), enough of an .xlsx for a reader to try. */
function zipOf(entries: { name: string; data: Buffer; declared?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const packed = deflateRawSync(entry.data);
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(entry.declared ?? entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(entry.declared ?? entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

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
