import type { OpHandler } from './op-env.js';

export const ALIAS_OPS: Readonly<Record<string, OpHandler>> = {};
