/**
 * The decisions Redis makes, as Lua scripts run atomically on the server (EVALSHA; ioredis loads a script on its
 * first NOSCRIPT). They are the shared-memory limiters' rules (limiters.ts), extended from one request to a lease of
 * `n`: a fixed window grants what is left of its count, up to `n`; GCRA grants the tokens that conform one after
 * another, up to `n`. With `n = 1` each is exactly the shared-memory decision.
 *
 * Keys: `kms-bench:quota:<run id>:<account>:<region>:<bucket>` then `:w<window index>` (fixed window, one key per
 * window) or `:tat` (token bucket). Every write sets an expiry, so nothing outlives the windows that need it.
 */

/** KEYS[1] the window's key; ARGV limit, n, expiry in ms. Returns the tokens granted (0 when the window is spent). */
export const FIXED_WINDOW_LUA = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local grant = tonumber(ARGV[1]) - used
local n = tonumber(ARGV[2])
if grant > n then grant = n end
if grant <= 0 then return 0 end
redis.call('INCRBY', KEYS[1], grant)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return grant
`;

/**
 * KEYS[1] the bucket's TAT key; ARGV now (ns), interval (ns), tolerance (ns), n. Returns `{granted, retryAtNs}`:
 * `retryAtNs` is when the next token conforms after this grant. Numbers are doubles in Lua:
 * exact below 2^53 ns, and within 256 ns at today's epoch — far below any quota's interval.
 */
export const TOKEN_BUCKET_LUA = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tolerance = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = tat
if now > start then start = now end
if start - now > tolerance then
  return {0, string.format('%.0f', start - tolerance)}
end
local grant = math.floor((tolerance - (start - now)) / interval) + 1
if grant > n then grant = n end
local nextTat = start + grant * interval
redis.call('SET', KEYS[1], string.format('%.0f', nextTat), 'PX', math.ceil((nextTat - now) / 1e6) + 1000)
return {grant, string.format('%.0f', nextTat - tolerance)}
`;

/** The key prefix of one (run, account, region, bucket). */
export function quotaKey(runId: string, slotName: string): string {
  // Slot names are `account\0region\0bucket` (board.ts).
  return `kms-bench:quota:${runId}:${slotName.split('\0').join(':')}`;
}
