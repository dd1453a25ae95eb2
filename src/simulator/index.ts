/**
 * The provider simulator as a library entry (`vidbatch/simulator`): KIE, Kling and Wireflow's
 * documented APIs on 127.0.0.1, for trying vidbatch and testing code that drives it.
 */
export type { SimOptions, SimOptionsPatch } from "./sim-options.js";
export { type Simulator, startSimulator } from "./simulator.js";
