import { callbackCanaryTests, canaryTests } from "../helpers/canary.js";

canaryTests("kie");
callbackCanaryTests("kie");
