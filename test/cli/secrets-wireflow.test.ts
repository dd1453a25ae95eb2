import { canaryTests } from "../helpers/canary.js";

canaryTests("wireflow");
