-- wrk script: POST /subjects/{s}/versions with a distinct Avro schema per request, so every
-- request is a new durable registration. `-- PREFIX` keeps concurrent wrk processes apart;
-- each wrk thread writes its own 32 subjects (level NONE is set by the caller).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  prefix = (args[1] or "p") .. "_" .. tid
  counter = 0
end
function request()
  counter = counter + 1
  local name = "R" .. prefix .. "_" .. counter
  local body = '{"schema":"{\\"type\\":\\"record\\",\\"name\\":\\"' .. name .. '\\",\\"fields\\":[]}"}'
  return wrk.format("POST", "/subjects/s-" .. prefix .. "-" .. (counter % 32) .. "/versions",
    {["Content-Type"] = "application/json"}, body)
end
