import type { OpHandler } from './op-env.js';

export const KEY_OPS: Readonly<Record<string, OpHandler>> = {};
