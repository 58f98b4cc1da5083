-- wrk script: GET /schemas/ids/{id} over ids 1..1000, so every request hits the cache after warm-up.
math.randomseed(42)
request = function()
  return wrk.format("GET", "/schemas/ids/" .. math.random(1, 1000))
end
