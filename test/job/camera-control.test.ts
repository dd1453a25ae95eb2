import assert from "node:assert/strict";
import { parseCameraControl } from "../../src/job/camera-control.js";
import { test } from "../helpers/leaks.js";

const zero = { horizontal: 0, vertical: 0, pan: 0, tilt: 0, roll: 0, zoom: 0 };

test("camera_control cells: presets, one axis as text, Kling's JSON", () => {
  assert.deepEqual(parseCameraControl("forward_up"), { value: { type: "forward_up" } });
  assert.deepEqual(parseCameraControl("Down Back"), { value: { type: "down_back" } });
  assert.deepEqual(parseCameraControl("zoom=5"), { value: { type: "simple", config: { ...zero, zoom: 5 } } });
  assert.deepEqual(parseCameraControl("simple: pan=-2.5"), {
    value: { type: "simple", config: { ...zero, pan: -2.5 } },
  });
  assert.deepEqual(parseCameraControl('{"type":"simple","config":{"horizontal":3,"zoom":0}}'), {
    value: { type: "simple", config: { ...zero, horizontal: 3 } },
  });
  assert.deepEqual(parseCameraControl('{"type":"left_turn_forward"}'), {
    value: { type: "left_turn_forward" },
  });
});

test("camera_control cells that break the documented rule say which rule", () => {
  const error = (cell: string) => {
    const r = parseCameraControl(cell);
    assert.ok("error" in r, cell);
    return r.error;
  };
  assert.match(error("zoom=5 pan=2"), /sets 2 camera axes; a simple camera move sets exactly one/);
  assert.match(error("zoom=0"), /sets no camera axes/);
  assert.match(error("zoom=11"), /camera zoom must be a number from -10 to 10/);
  assert.match(error("dolly=3"), /"dolly" is not a camera axis/);
  assert.match(error("spin around"), /is not a camera control; write a preset/);
  assert.match(error("{not json"), /not valid JSON/);
  assert.match(error('{"type":"forward_up","config":{"zoom":1}}'), /takes no config/);
  assert.match(error('{"type":"simple"}'), /needs a config with one axis/);
});
