// The Lua script that decides requests in Redis: for each request, every bucket, then the
// quota, then, only if all admit, the writes. Running it as one script makes each decision
// atomic across every process that shares the Redis and costs one round trip however many
// buckets a request has. Requests that arrive together are decided in one call, in order, as
// if each had been a call of its own.
//
// KEYS, per request: its n buckets, then (when the request is charged to a usage plan) the
//       quota counter of the current period, the usage counter of the current day and the
//       plan's first period.
// ARGV: the number of requests, then per request: now (ms), n, 1 if charged else 0, the
//       rateLimit and burstLimit of each bucket, then (when charged) the quota limit (-1:
//       none), the quota counter's time to live and the usage counter's (ms), the start of the
//       current period and the requests subtracted in the plan's first period.
// Returns one verdict per request: 0 admitted, 1 throttled, 2 quota exceeded.
//
// A bucket is a string `tokens time` (the tokens, and the time they were counted), read with
// GET and written with SET PX: two calls per bucket. `now` comes from the caller's clock; a
// caller whose clock is behind the bucket's time adds no tokens and never moves the time back,
// so the total refill is bounded by the latest clock (docs/throttling.md). A bucket expires
// once it would be full again, which is the same as forgetting it. The plan's first quota
// period is kept without expiry: one small key per plan.
export const ADMIT_SCRIPT = `
local verdicts = {}
local a = 2
local k = 1
for r = 1, tonumber(ARGV[1]) do
  local now = tonumber(ARGV[a])
  local n = tonumber(ARGV[a + 1])
  local charged = ARGV[a + 2] == '1'
  local b = a + 3
  local c = b + 2 * n
  local verdict = 0
  local left = {}
  local times = {}
  for i = 0, n - 1 do
    local rate = tonumber(ARGV[b + 2 * i])
    local burst = tonumber(ARGV[b + 2 * i + 1])
    local state = redis.call('GET', KEYS[k + i])
    local tokens
    local last
    if state then
      local space = string.find(state, ' ', 1, true)
      if space then
        tokens = tonumber(string.sub(state, 1, space - 1))
        last = tonumber(string.sub(state, space + 1))
      end
    end
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
      verdict = 1
      break
    end
    left[i] = tokens - 1
    times[i] = last
  end
  local limit = -1
  if verdict == 0 and charged then
    limit = tonumber(ARGV[c])
    if limit >= 0 then
      local first = redis.call('GET', KEYS[k + n + 2])
      if not first then
        first = ARGV[c + 3]
        redis.call('SET', KEYS[k + n + 2], first)
      end
      if first == ARGV[c + 3] then
        limit = limit - tonumber(ARGV[c + 4])
      end
      local used = tonumber(redis.call('GET', KEYS[k + n]) or '0')
      if used >= limit then
        verdict = 2
      end
    end
  end
  if verdict == 0 then
    for i = 0, n - 1 do
      local rate = tonumber(ARGV[b + 2 * i])
      local burst = tonumber(ARGV[b + 2 * i + 1])
      local ttl = math.ceil((burst - left[i]) * 1000 / rate) + 1000
      redis.call('SET', KEYS[k + i], string.format('%.17g %.17g', left[i], times[i]), 'PX', ttl)
    end
    if charged then
      if limit >= 0 then
        redis.call('INCR', KEYS[k + n])
        redis.call('PEXPIRE', KEYS[k + n], ARGV[c + 1])
      end
      redis.call('INCR', KEYS[k + n + 1])
      redis.call('PEXPIRE', KEYS[k + n + 1], ARGV[c + 2])
    end
  end
  verdicts[r] = verdict
  if charged then
    k = k + n + 3
    a = c + 5
  else
    k = k + n
    a = c
  end
end
return verdicts
`;
