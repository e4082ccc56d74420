-- What both scripts of the DAW test share; each loads it with dofile.

-- Waits (10 ms at a time) until `done()`, failing after `seconds` of wall-clock time.
function wait_until(done, seconds, what)
  for _ = 1, seconds * 100 do
    if done() then return end
    ARDOUR.LuaAPI.usleep(10000)
  end
  error("timed out waiting for " .. what)
end
