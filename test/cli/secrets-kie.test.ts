import { canaryTests } from "../helpers/canary.js";

canaryTests("kie");
