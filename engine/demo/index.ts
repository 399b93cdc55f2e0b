/** The generated demo tenant: realistic, deterministic MSP tickets and picklists. */
export { generateDemoTenant, type DemoOptions, type DemoTenant } from './generate';
