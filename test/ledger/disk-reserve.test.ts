import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { createDiskReserve, RESERVE_BYTES } from "../../src/ledger/disk-reserve.js";
import { durableTransaction } from "../../src/ledger/durable-transaction.js";
import { tempDir } from "../helpers/fixtures.js";
import { test } from "../helpers/leaks.js";

test("a write that decides money and finds the disk full gives back the reserved room and is tried once more", (t) => {
  const dir = tempDir(t);
  const reserve = createDiskReserve(join(dir, "in.ledger.db.reserve"));
  assert.equal(statSync(join(dir, "in.ledger.db.reserve")).size, RESERVE_BYTES);
  const db = new Database(join(dir, "in.ledger.db"));
  t.after(() => db.close());
  db.exec("CREATE TABLE t (v TEXT)");
  let full = true;
  const durable = durableTransaction(db, () => reserve.release());
  const write = durable((v: string) => {
    if (full) {
      full = false; // the disk is full once: as if the reserve's bytes were what it needed
      throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    }
    db.prepare("INSERT INTO t (v) VALUES (?)").run(v);
  });
  write("task-123");
  assert.deepEqual(db.prepare("SELECT v FROM t").all(), [{ v: "task-123" }]);
  assert.equal(existsSync(join(dir, "in.ledger.db.reserve")), false, "the room was given back");
  // With no reserve left, a full disk is the error it always was.
  const again = durable(() => {
    throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
  });
  assert.throws(() => again(), /disk is full/);
});
