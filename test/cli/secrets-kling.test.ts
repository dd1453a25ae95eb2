import { callbackCanaryTests, canaryTests } from "../helpers/canary.js";

canaryTests("kling");
callbackCanaryTests("kling");
