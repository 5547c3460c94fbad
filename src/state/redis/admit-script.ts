// The Lua script that decides one request in Redis: every bucket, then the quota, then, only if
// all admit, the writes. Running it as one script makes the decision atomic across every
// process that shares the Redis, and costs one round trip however many buckets a request has.
//
// KEYS: the n buckets, then (when the request is charged to a usage plan) the quota counter of
//       the current period, the usage counter of the current day and the plan's first period.
// ARGV: now (ms), n, then rateLimit and burstLimit of each bucket, then (when charged) the
//       quota limit (-1: none), the quota counter's time to live and the usage counter's (ms),
//       the start of the current period and the requests subtracted in the plan's first period.
// Returns 0 admitted, 1 throttled, 2 quota exceeded.
//
// A bucket is a hash {t: tokens, l: time they were counted}. `now` comes from the caller's
// clock; a caller whose clock is behind the bucket's time adds no tokens and never moves the
// time back, so the total refill is bounded by the latest clock (docs/throttling.md).
// A bucket expires once it would be full again, which is the same as forgetting it. The plan's
// first period is kept without expiry: one small key per plan.
export const ADMIT_SCRIPT = `
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local left = {}
local times = {}
for i = 1, n do
  local rate = tonumber(ARGV[1 + 2 * i])
  local burst = tonumber(ARGV[2 + 2 * i])
  local state = redis.call('HMGET', KEYS[i], 't', 'l')
  local tokens = tonumber(state[1])
  local last = tonumber(state[2])
  if tokens == nil or last == nil then
    tokens = burst
    last = now
  elseif now > last then
    tokens = math.min(burst, tokens + (now - last) * rate / 1000)
    last = now
  else
    tokens = math.min(burst, tokens)
  end
  if tokens < 1 then
    return 1
  end
  left[i] = tokens - 1
  times[i] = last
end
local charged = #KEYS > n
local a = 3 + 2 * n
local limit = -1
if charged then
  limit = tonumber(ARGV[a])
  if limit >= 0 then
    local first = redis.call('GET', KEYS[n + 3])
    if not first then
      first = ARGV[a + 3]
      redis.call('SET', KEYS[n + 3], first)
    end
    if first == ARGV[a + 3] then
      limit = limit - tonumber(ARGV[a + 4])
    end
    local used = tonumber(redis.call('GET', KEYS[n + 1]) or '0')
    if used >= limit then
      return 2
    end
  end
end
for i = 1, n do
  local rate = tonumber(ARGV[1 + 2 * i])
  local burst = tonumber(ARGV[2 + 2 * i])
  redis.call('HSET', KEYS[i], 't', left[i], 'l', times[i])
  redis.call('PEXPIRE', KEYS[i], math.ceil((burst - left[i]) * 1000 / rate) + 1000)
end
if charged then
  if limit >= 0 then
    redis.call('INCR', KEYS[n + 1])
    redis.call('PEXPIRE', KEYS[n + 1], ARGV[a + 1])
  end
  redis.call('INCR', KEYS[n + 2])
  redis.call('PEXPIRE', KEYS[n + 2], ARGV[a + 2])
end
return 0
`;
