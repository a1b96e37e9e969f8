import type { OpHandler } from './op-env.js';

export const MAC_OPS: Readonly<Record<string, OpHandler>> = {};
