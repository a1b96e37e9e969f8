import type { OpHandler } from './op-env.js';

export const SIGNING_OPS: Readonly<Record<string, OpHandler>> = {};
